import { describe, expect, it } from "vitest";
import { onEks, onGke } from "../lib/plan/gke";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const p = model.platform;
/** The CI role's ARN as synthesized: the service's own account ID and the role created beside the repository. */
const CI_ARN_PREFIX = `arn:aws:iam::\${data.aws_caller_identity.caller.account_id}:role/\${aws_iam_role.ci-role_`;

describe("container repositories of the example organization", () => {
  for (const s of model.services.filter((x) => x.registry)) {
    const primary = stacks[`service-${s.key}-${s.regions[0]}`];
    const nodeRoles = s.regions.map((r) => `arn:aws:iam::${p.accounts.cluster.id}:role/shared-${r}-node`).sort();

    if (s.registry!.kind === "ecr") {
      const repos = Object.entries(resources(primary, "aws_ecr_repository"));

      it(`creates one ECR repository per configured repository of ${s.key}, in its primary region only`, () => {
        expect(repos.map(([, r]) => r.name).sort()).toEqual(s.registry!.repositories.map((r) => `${s.key}/${r}`).sort());
        for (const region of s.regions.slice(1)) expect(resources(stacks[`service-${s.key}-${region}`], "aws_ecr_repository")).toEqual({});
      });

      for (const [name, repo] of repos) {
        it(`makes ${repo.name} immutable, scanned on push, KMS-encrypted with a rotating key, and undeletable`, () => {
          expect(repo).toMatchObject({ image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true }, force_delete: false, lifecycle: { prevent_destroy: true } });
          expect(repo.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/) }]);
          const keyName = /aws_kms_key\.([^.]+)\.arn/.exec(repo.encryption_configuration[0].kms_key)![1]!;
          expect(resources(primary, "aws_kms_key")[keyName]).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
        });

        it(`lets the shared cluster account's node roles pull ${repo.name} and only ${s.key}'s CI role push`, () => {
          const policy = Object.values(resources(primary, "aws_ecr_repository_policy")).find((x: any) => x.repository === `\${aws_ecr_repository.${name}.name}`) as any;
          const statements = JSON.parse(policy.policy).Statement;
          const pull = statements.find((x: any) => x.Sid === "PullFromClusterNodes");
          expect(pull.Principal.AWS).toEqual(nodeRoles);
          expect(pull.Action).not.toContain("ecr:PutImage");
          const allowsPush = statements.filter((x: any) => x.Effect === "Allow" && x.Action.includes("ecr:PutImage"));
          expect(allowsPush).toEqual([expect.objectContaining({ Principal: { AWS: expect.stringContaining(CI_ARN_PREFIX) } })]);
          const deny = statements.find((x: any) => x.Effect === "Deny");
          expect(deny).toMatchObject({ Principal: "*", Condition: { ArnNotEquals: { "aws:PrincipalArn": allowsPush[0].Principal.AWS } } });
          expect(deny.Action).toContain("ecr:PutImage");
          expect(deny.Action).not.toContain("ecr:BatchGetImage");
        });

        it(`keeps the newest ${p.registry.keepImages} images of ${repo.name}`, () => {
          const lifecycle = Object.values(resources(primary, "aws_ecr_lifecycle_policy")).find((x: any) => x.repository === `\${aws_ecr_repository.${name}.name}`) as any;
          expect(JSON.parse(lifecycle.policy).rules).toEqual([expect.objectContaining({ selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: p.registry.keepImages }, action: { type: "expire" } })]);
        });
      }
    } else {
      const repos = Object.entries(resources(primary, "google_artifact_registry_repository"));
      const members = Object.values(resources(primary, "google_artifact_registry_repository_iam_member")) as any[];
      const pool = p.registry.gar!.workloadIdentityPool;

      it(`creates ${s.key}'s Artifact Registry repositories with immutable tags, scanning and no way to destroy them`, () => {
        expect(repos.map(([, r]) => r.repository_id).sort()).toEqual(s.registry!.repositories.map((r) => `${s.key}-${r}`).sort());
        for (const [, r] of repos) {
          expect(r).toMatchObject({ format: "DOCKER", docker_config: { immutable_tags: true }, vulnerability_scanning_config: { enablement_config: "INHERITED" }, lifecycle: { prevent_destroy: true } });
        }
      });

      it(`lets the nodes of ${s.key}'s clusters read (EKS through workload identity federation, GKE as its nodes' service account) and only ${s.key}'s GitHub repositories write`, () => {
        const eksReaders = onEks(s) ? s.regions.map((r) => `principalSet://iam.googleapis.com/${pool}/attribute.aws_role/arn:aws:sts::${p.accounts.cluster.id}:assumed-role/shared-${r}-node`) : [];
        const gkeReaders = onGke(s) ? [`serviceAccount:gke-nodes@${p.gke!.project}.iam.gserviceaccount.com`] : [];
        for (const [name] of repos) {
          const mine = members.filter((m) => m.repository === `\${google_artifact_registry_repository.${name}.name}`);
          expect(mine.filter((m) => m.role === "roles/artifactregistry.reader").map((m) => m.member).sort()).toEqual([...eksReaders, ...gkeReaders].sort());
          expect(mine.filter((m) => m.role === "roles/artifactregistry.writer").map((m) => m.member).sort()).toEqual(
            [...s.githubRepositories].sort().map((r) => `principalSet://iam.googleapis.com/projects/${pool.split("/")[1]}/locations/global/workloadIdentityPools/github-actions/attribute.repository/${p.github.organization}/${r}`),
          );
        }
      });

      it(`configures the google provider for ${s.key} from the platform, with the run phase's dynamic credentials and no credential in code`, () => {
        expect(primary.provider.google).toEqual([{ project: p.registry.gar!.project, region: p.registry.gar!.location, credentials: "${var.tfc_gcp_dynamic_credentials.default.credentials}" }]);
      });
    }

    it(`trusts ${s.key}'s CI role only for the release workflow on the main branch of its own GitHub repositories`, () => {
      const ci = Object.values(resources(primary, "aws_iam_role")).find((r: any) => r.name === `ci-${s.key}`) as any;
      const st = JSON.parse(ci.assume_role_policy).Statement;
      expect(st).toHaveLength(1);
      const repos = [...s.githubRepositories].sort();
      expect(st[0].Condition).toEqual({
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": repos.map((r) => `repo:${p.github.organization}/${r}:ref:refs/heads/main`),
          "token.actions.githubusercontent.com:job_workflow_ref": repos.map((r) => `${p.github.organization}/${r}/.github/workflows/release.yml@refs/heads/main`),
        },
      });
    });
  }
});

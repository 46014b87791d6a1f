import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { ArtifactRegistryRepositoryIamMember } from "@cdktf/provider-google/lib/artifact-registry-repository-iam-member";
import { Construct } from "constructs";
import { ECR_PUSH_ACTIONS } from "./ci-role.js";

/** An IAM role by account and name; ECR wants its ARN, Google its assumed-role session ARN. */
export interface AwsRoleRef {
  readonly accountId: string;
  readonly roleName: string;
}

interface CommonProps {
  /** Repository name (ECR, may contain "/") or repository ID (Artifact Registry). */
  readonly name: string;
  /** Images to keep; older ones expire. */
  readonly keepImages: number;
  /** Roles that pull (the clusters' node roles, in other accounts). */
  readonly pullRoles: readonly AwsRoleRef[];
  /** Tags (ECR) or labels (Artifact Registry). @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An ECR repository in the provider's account and region. */
export interface EcrContainerRepositoryProps extends CommonProps {
  readonly kind: "ecr";
  /**
   * The only role that may push (the service's CI role).
   * @default - nobody may push (a retired service's repository stays readable)
   */
  readonly pushRole?: AwsRoleRef;
}

/** A Google Artifact Registry Docker repository, reached from AWS through workload identity federation. */
export interface GarContainerRepositoryProps extends CommonProps {
  readonly kind: "gar";
  readonly project: string;
  readonly location: string;
  /** Full name of the workload identity pool with the organization's AWS accounts as provider. */
  readonly workloadIdentityPool: string;
  /**
   * Google members that pull besides the AWS roles, e.g. the GKE nodes' service account
   * (`serviceAccount:<email>`). @default []
   */
  readonly pullMembers?: readonly string[];
  /**
   * The only members that may push: the service's GitHub repositories through the GitHub
   * workload identity pool (`principalSet://.../attribute.repository/<org>/<repo>`).
   * @default - nobody may push (a retired service's repository stays readable)
   */
  readonly pushMembers?: readonly string[];
}

export type ContainerRepositoryProps = EcrContainerRepositoryProps | GarContainerRepositoryProps;

const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/** A construct id from an IAM member: its last path part or the account before the `@`. */
const idOf = (m: string) => (m.split("/").at(-1) ?? m).split("@")[0]!.replace(/^serviceAccount:/, "");
const roleArn = (r: AwsRoleRef) => `arn:aws:iam::${r.accountId}:role/${r.roleName}`;
/** How Google's AWS provider names an AWS role session (its default `attribute.aws_role`). */
const assumedRoleArn = (r: AwsRoleRef) => `arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}`;

/**
 * One container image repository of a service. Either kind is tag-immutable (a tag always
 * means the same image), scanned for vulnerabilities, keeps the newest `keepImages` images,
 * lets the clusters' nodes pull and only the service's CI push, and is protected
 * from destroy: there is no force delete, so a repository holding images is never removed by
 * a config edit.
 *
 * ECR: encrypted with a KMS key of its own (rotated yearly); CI is the service's CI role.
 * Artifact Registry: the EKS node roles act in Google Cloud through the platform's AWS
 * workload identity pool, the GKE nodes as their own service account, and CI as the service's
 * GitHub repositories through the GitHub pool; nobody holds a key.
 */
export class ContainerRepository extends Construct {
  /** The ECR repository or the Artifact Registry repository. */
  readonly resource: EcrRepository | ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    this.resource = props.kind === "ecr" ? this.ecr(props) : this.gar(props);
  }

  private ecr(props: EcrContainerRepositoryProps): EcrRepository {
    const tags = { ...props.tags };
    const key = new KmsKey(this, "key", {
      description: `Encryption of the images in ECR repository ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: true },
      tags,
    });
    const repository = new EcrRepository(this, "Resource", {
      name: props.name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }],
      forceDelete: false,
      lifecycle: { preventDestroy: true },
      tags,
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [{
          rulePriority: 1,
          description: `keep the newest ${props.keepImages} images`,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages },
          action: { type: "expire" },
        }],
      }),
    });

    const statements: unknown[] = [];
    if (props.pullRoles.length > 0) {
      statements.push({ Sid: "PullFromClusterNodes", Effect: "Allow", Principal: { AWS: props.pullRoles.map(roleArn).sort() }, Action: ECR_PULL_ACTIONS });
    }
    if (props.pushRole) {
      const ci = roleArn(props.pushRole);
      statements.push({ Sid: "PushFromCi", Effect: "Allow", Principal: { AWS: ci }, Action: ["ecr:BatchCheckLayerAvailability", ...ECR_PUSH_ACTIONS] });
      // An explicit deny wins over any identity policy in the account: even an administrator
      // cannot push an image that did not come through the service's CI.
      statements.push({ Sid: "PushOnlyFromCi", Effect: "Deny", Principal: "*", Action: [...ECR_PUSH_ACTIONS], Condition: { ArnNotEquals: { "aws:PrincipalArn": ci } } });
    } else {
      statements.push({ Sid: "NoPush", Effect: "Deny", Principal: "*", Action: [...ECR_PUSH_ACTIONS] });
    }
    new EcrRepositoryPolicy(this, "policy", {
      repository: repository.name,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });
    return repository;
  }

  private gar(props: GarContainerRepositoryProps): ArtifactRegistryRepository {
    const repository = new ArtifactRegistryRepository(this, "Resource", {
      project: props.project,
      location: props.location,
      repositoryId: props.name,
      format: "DOCKER",
      dockerConfig: { immutableTags: true },
      // Scanning follows the project's Container Scanning setting, which the platform enables.
      vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        { id: "delete-old", action: "DELETE", condition: { tagState: "ANY" } },
        { id: "keep-newest", action: "KEEP", mostRecentVersions: { keepCount: props.keepImages } },
      ],
      labels: { ...props.tags },
      lifecycle: { preventDestroy: true },
    });
    const member = (r: AwsRoleRef) => `principalSet://iam.googleapis.com/${props.workloadIdentityPool}/attribute.aws_role/${assumedRoleArn(r)}`;
    const grant = (id: string, role: string, m: string) => new ArtifactRegistryRepositoryIamMember(this, id, {
      project: props.project,
      location: props.location,
      repository: repository.name,
      role,
      member: m,
    });
    [...props.pullRoles].sort((a, b) => (roleArn(a) < roleArn(b) ? -1 : 1)).forEach((r) => grant(`reader-${r.roleName}`, "roles/artifactregistry.reader", member(r)));
    // Ids come from the member itself (an email or a repository), never from list positions.
    [...(props.pullMembers ?? [])].sort().forEach((m) => grant(`reader-${idOf(m)}`, "roles/artifactregistry.reader", m));
    [...(props.pushMembers ?? [])].sort().forEach((m) => grant(`writer-${idOf(m)}`, "roles/artifactregistry.writer", m));
    return repository;
  }
}

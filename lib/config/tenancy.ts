import type { Problem } from "./problems";
import { GITHUB_REPOSITORY, type Platform, type Service } from "./schema";

/*
 * Rules of the Kubernetes tenancy and registry domain that zod cannot express on one field.
 * `validate.ts` calls them and adds the file and entry; each finding names field, value and fix.
 * (Namespace labels, reserved namespaces, quota maximums and repeated repositories are checked
 * in `validate.ts` itself, where the namespace claims across services live.)
 */

type Finding = Omit<Problem, "file" | "entry">;

/** GitHub repository names: letters, digits, ".", "-", "_" (the organization is the platform's). */
/** Artifact Registry repository IDs must start with a letter. */
const GAR_REPOSITORY_ID = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** Platform-level Kubernetes settings that only make sense together. */
export function checkPlatformKubernetes(p: Platform): Array<Finding & { entry: string }> {
  const out: Array<Finding & { entry: string }> = [];
  for (const [name, g] of Object.entries(p.kubernetes.nodeGroups)) {
    if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
      out.push({ entry: "", field: `kubernetes.nodeGroups.${name}`, value: { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize }, message: "has sizes out of order", fix: "use minSize <= desiredSize <= maxSize" });
    }
  }
  if (Object.keys(p.kubernetes.nodeGroups).length === 0) {
    out.push({ entry: "", field: "kubernetes.nodeGroups", value: {}, message: "defines no node group, so no pod could run", fix: 'add one, e.g. general: { instanceTypes: ["m7i.large"], minSize: 3, desiredSize: 3, maxSize: 12 }' });
  }
  return out;
}

/** One service's registry and CI settings. */
export function checkServiceRegistry(p: Platform, key: string, s: Partial<Service>): Finding[] {
  const out: Finding[] = [];
  const repos = s.githubRepositories ?? [];
  repos.forEach((r, i) => {
    if (!GITHUB_REPOSITORY.test(r)) {
      out.push({ field: `githubRepositories.${i}`, value: r, message: "is not a GitHub repository name", fix: `write only the repository's name (the organization is ${p.github.organization}), e.g. "${key}"` });
    }
  });
  const seen = new Set<string>();
  repos.forEach((r) => {
    if (seen.has(r.toLowerCase())) out.push({ field: "githubRepositories", value: r, message: "lists a repository twice", fix: "remove the duplicate" });
    seen.add(r.toLowerCase());
  });
  if (s.registry && !s.retired && repos.length === 0) {
    out.push({ field: "githubRepositories", value: [], message: "is empty, so no CI role could push to registry.repositories", fix: `list the repositories in ${p.github.organization} whose main branch builds the images, e.g. ["${key}"]` });
  }
  if (s.registry?.kind === "gar") {
    s.registry.repositories.forEach((r, i) => {
      const id = garRepositoryId(key, r);
      if (!GAR_REPOSITORY_ID.test(id) || id.length > 63) {
        out.push({ field: `registry.repositories.${i}`, value: r, message: `gives the Artifact Registry repository ID "${id}", which must start with a letter and be at most 63 characters`, fix: "use a shorter repository name of lower-case letters, digits and hyphens" });
      }
    });
  }
  return out;
}

/** Artifact Registry repository ID of one of a service's repositories (one project holds every service's). */
export function garRepositoryId(serviceKey: string, repository: string): string {
  return `${serviceKey}-${repository}`;
}

/** ECR repository name of one of a service's repositories. */
export function ecrRepositoryName(serviceKey: string, repository: string): string {
  return `${serviceKey}/${repository}`;
}

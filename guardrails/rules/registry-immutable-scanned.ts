import type { Rule } from "../rule.js";

/** A nested block synthesizes as an object, or as a one-element list for some attributes. */
function block(value: unknown): Record<string, any> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v && typeof v === "object" ? (v as Record<string, any>) : undefined;
}

/**
 * Every container repository has immutable tags (a deployed tag always means the same image)
 * and vulnerability scanning: ECR scans on push; Artifact Registry must not disable scanning.
 */
export const registryImmutableScanned: Rule = {
  id: "security/registry-immutable-scanned",
  pack: "security",
  severity: "error",
  description: "every container repository (ECR, Artifact Registry) has immutable tags and vulnerability scanning",
  check: (stack) =>
    stack.resources.flatMap((r) => {
      const problems: string[] = [];
      if (r.type === "aws_ecr_repository") {
        if (r.config.image_tag_mutability !== "IMMUTABLE") problems.push("has mutable tags");
        if (block(r.config.image_scanning_configuration)?.scan_on_push !== true) problems.push("does not scan on push");
      } else if (r.type === "google_artifact_registry_repository") {
        if (block(r.config.docker_config)?.immutable_tags !== true) problems.push("has mutable tags");
        if (block(r.config.vulnerability_scanning_config)?.enablement_config === "DISABLED") problems.push("has vulnerability scanning disabled");
      } else {
        return [];
      }
      return problems.map((p) => ({
        path: r.path,
        message: `${r.type} "${r.name}" ${p}`,
        fix: "create repositories with the ContainerRepository construct, which makes tags immutable and scans every image",
      }));
    }),
};

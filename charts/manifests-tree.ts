import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { OrganizationModel } from "../lib/config/model";
import type { Problem } from "../lib/config/problems";
import { MANIFESTS_DIR } from "../lib/plan/argocd";
import { loadManifests } from "../lib/manifests/load";
import { renderServiceManifests } from "./render.js";

/** What the repository's manifests should be, from the config and each service's typed source. */
export interface ManifestsTree {
  /** Rendered YAML, path relative to the repository -> text, for every service with a source. */
  readonly files: ReadonlyMap<string, string>;
  /** Problems in the sources (nothing is written while there is one). */
  readonly problems: readonly Problem[];
  /** Active services without `manifests/<service>/manifests.ts` (a warning: Argo CD has nothing to sync for them yet). */
  readonly missing: readonly string[];
  /** Rendered YAML on disk (base/ and overlays/ of every folder under manifests/), relative paths. */
  readonly onDisk: readonly string[];
}

/**
 * Renders every service's manifests under the repository `root` (the folder holding the config
 * directory) and lists what is on disk, so a command can write the difference or report it.
 * A folder under manifests/ that is no service's is a problem: its YAML would never be synced.
 */
export async function manifestsTree(root: string, model: OrganizationModel, configLabel: string): Promise<ManifestsTree> {
  const files = new Map<string, string>();
  const problems: Problem[] = [];
  const missing: string[] = [];
  for (const s of model.services) {
    const loaded = await loadManifests(root, model.platform, s, `${configLabel}/services/${s.key}.ts`);
    problems.push(...loaded.problems);
    if (!loaded.source) {
      if (loaded.problems.length === 0 && !s.retired) missing.push(s.key);
      continue;
    }
    for (const [file, text] of renderServiceManifests(model.platform, s, loaded.source)) files.set(file, text);
  }
  const dir = path.join(root, MANIFESTS_DIR);
  const onDisk: string[] = [];
  const services = new Set(model.services.map((s) => s.key));
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (!statSync(path.join(dir, name)).isDirectory()) continue;
    if (!services.has(name)) {
      problems.push({ file: `${MANIFESTS_DIR}/${name}/`, entry: name, field: "", value: name, message: "is not a service in the config, so nothing deploys it", fix: `delete ${MANIFESTS_DIR}/${name}/, or rename the folder to the service's key` });
    }
    for (const sub of ["base", "overlays"]) {
      const at = path.join(dir, name, sub);
      if (!existsSync(at)) continue;
      for (const rel of readdirSync(at, { recursive: true }).map(String).filter((f) => f.endsWith(".yaml")).sort()) {
        onDisk.push(`${MANIFESTS_DIR}/${name}/${sub}/${rel.split(path.sep).join("/")}`);
      }
    }
  }
  return { files, problems, missing, onDisk };
}

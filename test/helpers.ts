import { expect } from "vitest";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import platform from "./fixtures/org/platform.js";
import developers from "./fixtures/org/developers.js";
import index from "./fixtures/org/services.js";
import type { RawConfig } from "../lib/config/load";
import { ConfigError, type Problem } from "../lib/config/problems";
import type { OrganizationModel } from "../lib/config/model";
import { validate } from "../lib/config/validate";
import { buildApp } from "../synth.js";
import { withoutCreationStacks } from "../lib/creation-stacks.js";
import { scratchDir } from "./scratch.js";

/**
 * The fixture organization the code's tests run on: a copy of the example organization, kept
 * under test/ so that the organization's own `config/` can change (a developer joins, a service
 * is added) without breaking a test of the code. Laid out like `config/`.
 */
export const FIXTURE_ORG = path.resolve(import.meta.dirname, "fixtures/org");

/**
 * A deep copy of the fixture organization's raw config, safe to mutate in a test. Files are
 * named as in an organization's repository (`config/...`), which is what messages show.
 */
export function exampleRaw(): { -readonly [K in keyof RawConfig]: RawConfig[K] } & { platform: any; developers: any; index: any; serviceFiles: Record<string, any> } {
  const services = structuredClone(index) as Record<string, unknown>;
  return {
    label: "config",
    platform: structuredClone(platform),
    developers: structuredClone(developers),
    index: services,
    serviceFiles: { ...services },
    problems: [],
  };
}

/** Adds (or replaces) a service in a raw config, as a new file listed in the index. */
export function withService(raw: ReturnType<typeof exampleRaw>, key: string, service: unknown): ReturnType<typeof exampleRaw> {
  raw.index[key] = service;
  raw.serviceFiles[key] = service;
  return raw;
}

export function exampleModel(): OrganizationModel {
  return validate(exampleRaw());
}

/**
 * Synthesizes a model into a fresh temp dir and returns every stack's parsed JSON by name
 * (only the named stacks when `only` is given, which keeps a test that looks at one stack cheap).
 */
export function synthStacks(model: OrganizationModel, only?: ReadonlySet<string>): Record<string, any> {
  const dir = scratchDir("synth-");
  try {
    // As the synth command does (lib/creation-stacks.ts): recording where each token was created
    // took about 40% of each synthesis here, for error messages no test reads.
    withoutCreationStacks(() => buildApp(model, dir, only).synth());
    const out: Record<string, any> = {};
    for (const name of readdirSync(path.join(dir, "stacks")).sort()) {
      out[name] = JSON.parse(readFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), "utf8"));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let exampleSynth: Record<string, string> | undefined;

/**
 * The fixture organization's stacks, synthesized once per test worker (test files share their
 * worker's modules, see vitest.config.ts) and handed out as a fresh copy each call, so a test
 * may change what it gets. Same result as `synthStacks(exampleModel())`.
 */
export function exampleStacks(): Record<string, any> {
  exampleSynth ??= Object.fromEntries(Object.entries(synthStacks(exampleModel())).map(([name, stack]) => [name, JSON.stringify(stack)]));
  return Object.fromEntries(Object.entries(exampleSynth).map(([name, text]) => [name, JSON.parse(text)]));
}

/** Every resource of one type in a synthesized stack, by its Terraform name. */
export function resources(stack: any, type: string): Record<string, any> {
  return stack?.resource?.[type] ?? {};
}

/** Resources of a type in a stack whose Kubernetes namespace is `ns` (by reference or literal). */
export function inNamespace(stack: any, type: string, ns: string): any[] {
  const nsResources = Object.entries(resources(stack, "kubernetes_namespace_v1")).filter(([, r]) => r.metadata.name === ns).map(([name]) => name);
  return Object.values(resources(stack, type)).filter((r: any) => {
    const v = r.metadata?.namespace;
    return v === ns || nsResources.some((n) => String(v).includes(`kubernetes_namespace_v1.${n}.`));
  });
}

/** Runs validation and returns its problems (none if the config is valid). */
export function problemsOf(raw: RawConfig): Problem[] {
  try {
    validate(raw);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

/** The one problem of a config with one mistake, checked to carry everything a developer needs. */
export function onlyProblem(raw: RawConfig): Problem {
  const problems = problemsOf(raw);
  expect(problems).toHaveLength(1);
  const p = problems[0]!;
  for (const key of ["file", "message", "fix"] as const) expect(p[key], key).not.toBe("");
  return p;
}

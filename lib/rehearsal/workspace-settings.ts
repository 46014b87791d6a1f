import { providedKeys } from "../config/prerequisites";
import { blocksOf, resolverOf } from "./inventory";
import type { RehearsalContext } from "./types";

/*
 * How each HCP Terraform workspace is set up, as the factory stacks declare it: its variables
 * (its own and those of the variable sets in its scope) and where its runs execute. The
 * identity check reads which credentials each run phase gets from here.
 */

/** One workspace's run settings. */
export interface WorkspaceSettings {
  readonly name: string;
  /** Stack that creates the workspace, or `prerequisite <id>` for one made by hand. */
  readonly createdBy: string;
  /** Variable key -> value (undefined for a sensitive value typed in by hand), own and from variable sets in scope. */
  readonly variables: ReadonlyMap<string, string | undefined>;
  /** Where runs execute: "remote" (shared runners, the default), "agent" or "local". */
  readonly executionMode: string;
  /** Agent pool of agent execution. @default - none */
  readonly agentPool?: string;
  /** Name of the project the workspace is in, when the factory names it (its OIDC subject carries it). @default - unknown */
  readonly project?: string;
}

interface VariableSet {
  readonly variables: Map<string, string | undefined>;
  global: boolean;
  projectWide: boolean;
  readonly workspaces: Set<string>;
}

/** The run settings of every workspace the stacks create, by workspace name; prerequisites' workspaces are listed as made by hand. */
export function workspaceSettingsOf(context: RehearsalContext): Map<string, WorkspaceSettings> {
  const sets = new Map<string, VariableSet>();
  const setNamed = (name: string) => {
    let set = sets.get(name);
    if (!set) sets.set(name, (set = { variables: new Map(), global: false, projectWide: false, workspaces: new Set() }));
    return set;
  };
  const own = new Map<string, { createdBy: string; variables: Map<string, string | undefined>; executionMode?: string; agentPool?: string; project?: string }>();
  const workspaceNamed = (name: string, createdBy: string) => {
    let w = own.get(name);
    if (!w) own.set(name, (w = { createdBy, variables: new Map() }));
    return w;
  };
  for (const stack of context.stacks) {
    const resolve = resolverOf(context.model, stack);
    const workspaceRefs = new Map<string, string>();
    const setRefs = new Map<string, string>();
    const projectRefs = new Map<string, string>();
    for (const [type, name, block] of blocksOf(stack, "resource")) if (type === "tfe_project" && typeof block.name === "string") projectRefs.set(`tfe_project.${name}`, block.name);
    for (const [type, name, block] of blocksOf(stack, "data")) if (type === "tfe_project" && typeof block.name === "string") projectRefs.set(`data.tfe_project.${name}`, block.name);
    for (const [type, name, block] of blocksOf(stack, "resource")) {
      if (type === "tfe_workspace" && typeof block.name === "string") {
        workspaceRefs.set(`tfe_workspace.${name}`, block.name);
        const w = workspaceNamed(block.name, stack.spec.name);
        w.project = projectRefs.get(/^\$\{(.+)\.id\}$/.exec(String(block.project_id ?? ""))?.[1] ?? "");
        if (typeof block.execution_mode === "string") w.executionMode = block.execution_mode;
        if (typeof block.agent_pool_id === "string") w.agentPool = block.agent_pool_id;
      }
      if (type === "tfe_variable_set" && typeof block.name === "string") {
        setRefs.set(`tfe_variable_set.${name}`, block.name);
        if (block.global === true) setNamed(block.name).global = true;
      }
    }
    for (const [type, name, block] of blocksOf(stack, "data")) {
      if (type === "tfe_workspace" && typeof block.name === "string") workspaceRefs.set(`data.tfe_workspace.${name}`, block.name);
      if (type === "tfe_variable_set" && typeof block.name === "string") setRefs.set(`data.tfe_variable_set.${name}`, block.name);
    }
    const target = (ref: unknown, refs: Map<string, string>) => refs.get(/^\$\{(.+)\.id\}$/.exec(String(ref ?? ""))?.[1] ?? "");
    for (const [type, , block] of blocksOf(stack, "resource")) {
      if (type === "tfe_variable") {
        const value = typeof block.value === "string" && block.value !== "" ? (resolve(block.value) ?? block.value) : undefined;
        const ws = target(block.workspace_id, workspaceRefs);
        const set = target(block.variable_set_id, setRefs);
        if (ws) workspaceNamed(ws, stack.spec.name).variables.set(block.key, value);
        if (set) setNamed(set).variables.set(block.key, value);
      }
      if (type === "tfe_project_variable_set") {
        const set = target(block.variable_set_id, setRefs);
        if (set) setNamed(set).projectWide = true;
      }
      if (type === "tfe_workspace_variable_set") {
        const set = target(block.variable_set_id, setRefs);
        const ws = target(block.workspace_id, workspaceRefs);
        if (set && ws) setNamed(set).workspaces.add(ws);
      }
      if (type === "tfe_workspace_settings") {
        const ws = target(block.workspace_id, workspaceRefs);
        if (!ws) continue;
        const w = workspaceNamed(ws, stack.spec.name);
        if (typeof block.execution_mode === "string") w.executionMode = block.execution_mode;
        if (typeof block.agent_pool_id === "string") w.agentPool = block.agent_pool_id;
      }
    }
  }
  const org = context.model.platform.terraformCloud.organization;
  for (const { key, prerequisite } of providedKeys(context.model.platform)) {
    const name = key.startsWith(`tfe-workspace:${org}:`) ? key.slice(`tfe-workspace:${org}:`.length) : undefined;
    if (name && !name.includes("*") && !own.has(name)) own.set(name, { createdBy: `prerequisite ${prerequisite}`, variables: new Map() });
  }
  const out = new Map<string, WorkspaceSettings>();
  for (const [name, w] of own) {
    const variables = new Map<string, string | undefined>();
    for (const set of sets.values()) {
      if (set.global || set.projectWide || set.workspaces.has(name)) for (const [k, v] of set.variables) variables.set(k, v);
    }
    // A workspace's own variable wins over a variable set's (HCP Terraform's precedence).
    for (const [k, v] of w.variables) variables.set(k, v);
    out.set(name, { name, createdBy: w.createdBy, variables, executionMode: w.executionMode ?? (w.agentPool ? "agent" : "remote"), agentPool: w.agentPool, project: w.project });
  }
  return out;
}

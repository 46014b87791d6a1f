import type { OrganizationModel } from "../lib/config/model";
import type { PlatformAccount, StackKind } from "../lib/plan/stack-plan";
import type { RehearsalContext, RehearsalStack } from "../lib/rehearsal/types";
import { exampleModel } from "./helpers";

/*
 * Small hand-built rehearsal contexts: a few stacks of a few resources each, in waves chosen
 * by the test, on the example organization's platform (accounts, HCP Terraform organization,
 * prerequisites).
 */

/** One hand-built stack: its name, wave, platform account, and its JSON without providers (added for the account). */
export interface FixtureStack {
  readonly name: string;
  readonly wave: number;
  readonly account?: PlatformAccount | "none";
  readonly kind?: StackKind;
  readonly region?: string;
  /** The stack's JSON; `provider.aws` defaults to the account's, in ap-northeast-1. */
  readonly json: Record<string, any>;
}

/** Account ID of a platform account in the example organization. */
export function accountId(model: OrganizationModel, account: PlatformAccount): string {
  return model.platform.accounts[account].id;
}

/**
 * A context of hand-built stacks, in the given waves, on the example organization's model,
 * with a `workspaces` factory in wave 0 that creates every other stack's workspace (its own
 * is a prerequisite of the example organization).
 */
export function fixtureContext(stacks: readonly FixtureStack[], model: OrganizationModel = exampleModel(), factory: Record<string, any> = {}): RehearsalContext {
  const org = model.platform.terraformCloud.organization;
  const workspaces: FixtureStack = {
    name: "workspaces",
    wave: 0,
    account: "none",
    kind: "workspaces",
    json: {
      provider: { tfe: [{ organization: org }] },
      ...factory,
      resource: {
        ...(factory.resource ?? {}),
        tfe_workspace: Object.fromEntries(stacks.map((s) => [`workspace-${s.name}`, { name: s.name, organization: org }])),
      },
    },
  };
  const built: RehearsalStack[] = [workspaces, ...stacks].sort((a, b) => a.wave - b.wave).map((s) => {
    const account = s.account ?? "network";
    const aws = account === "none" ? {} : { aws: [{ region: s.region ?? "ap-northeast-1", allowed_account_ids: [accountId(model, account)] }] };
    return {
      spec: { name: s.name, kind: s.kind ?? "network", account, region: s.region ?? "ap-northeast-1", workspaceFactory: "workspaces" },
      wave: s.wave,
      json: { ...s.json, provider: { ...aws, ...(s.json.provider ?? {}) } },
    };
  });
  return { model, stacks: built, byName: new Map(built.map((s) => [s.spec.name, s])) };
}

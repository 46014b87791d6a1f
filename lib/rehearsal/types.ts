import type { OrganizationModel } from "../config/model.js";
import type { StackSpec } from "../plan/stack-plan.js";

/*
 * The rehearsal's shared vocabulary. Each check is a pure function from the context (the
 * validated model and every synthesized stack's JSON, in apply order) to findings; the runner
 * (lib/rehearsal/rehearse.ts) groups them by wave and stack, and the gate fails on any.
 */

/** What kind of first-apply failure a finding predicts. */
export type FindingClass =
  /** Terraform itself rejects the stack: unknown type or argument, missing required argument, bad reference, bad escaping, malformed policy JSON. */
  | "validity"
  /** Something the stack reads or names (lookup, literal ARN or name, remote output) is created by no earlier stack and is no listed prerequisite. */
  | "contract"
  /** A credential hop (assume role, Kubernetes, Google, SaaS token) is not allowed, or not available, in the run phase that uses it. */
  | "identity"
  /** A private endpoint the run needs is out of the runner's reach (for example a private EKS API from shared runners). */
  | "reachability"
  /** The rehearsal could not model this part (unknown provider, unusual policy): reported, never passed silently. */
  | "not-checked";

/** One predicted failure of the first apply, with enough to fix it without reading the rehearsal's code. */
export interface RehearsalFinding {
  readonly class: FindingClass;
  /** Stack (= workspace) name. */
  readonly stack: string;
  /** Terraform address inside the stack (`aws_flow_log.vpc`, `provider.aws.network`, `data.aws_subnets.private`). */
  readonly address: string;
  /** What is wrong or missing, in one sentence. */
  readonly message: string;
  /** The earlier stack or prerequisite that should provide what is missing, when there is one. @default - none */
  readonly expectedFrom?: string;
  /** What to change. */
  readonly fix: string;
}

/** One synthesized stack, as Terraform will read it. */
export interface RehearsalStack {
  readonly spec: StackSpec;
  /** Parsed `cdktf.out/stacks/<name>/cdk.tf.json`. */
  readonly json: any;
  /** Apply wave (0 = first): a stack only relies on stacks of earlier waves and on prerequisites. */
  readonly wave: number;
}

/** Everything a check may read. Checks never touch the file system or the network. */
export interface RehearsalContext {
  readonly model: OrganizationModel;
  /** Every stack in apply order (wave, then plan order). */
  readonly stacks: readonly RehearsalStack[];
  readonly byName: ReadonlyMap<string, RehearsalStack>;
}

/** A check of one finding class (or several), pure over the context. */
export type RehearsalCheck = (context: RehearsalContext) => RehearsalFinding[];

/**
 * A check that must wait for something (the identity check awaits the IAM policy evaluator,
 * whose API is asynchronous); the runner awaits it like the others.
 */
export type AsyncRehearsalCheck = (context: RehearsalContext) => Promise<RehearsalFinding[]>;

/** A synthesized Terraform resource as a rule sees it: plain JSON, tokens resolved to "${...}". */
export interface ResourceView {
  /** Stack name (= Terraform Cloud workspace). */
  readonly stack: string;
  /** Construct path, e.g. "service-payments-ap-northeast-1/registry-api/Resource". */
  readonly path: string;
  /** Terraform resource type, e.g. "aws_ecr_repository". */
  readonly type: string;
  /** Terraform resource name within the stack. */
  readonly name: string;
  /** Synthesized attributes (snake_case), without the "//" metadata. */
  readonly config: Readonly<Record<string, any>>;
}

/** Everything a stack-level rule may look at: the whole synthesized stack. */
export interface StackView {
  readonly stack: string;
  /** The stack's kind from `lib/plan/stack-plan.ts` ("service", "network", ...). */
  readonly kind: string;
  /** Service key for service stacks. */
  readonly service?: string;
  /** The stack's AWS region, if it has one. */
  readonly region?: string;
  /** Whether the stack holds its account's global objects (see `StackSpec.primary`). */
  readonly primary?: boolean;
  readonly resources: readonly ResourceView[];
  /** Data sources, in the same shape (`type` without the "data." prefix). */
  readonly data: readonly ResourceView[];
  /** The synthesized JSON (providers, data sources, outputs). */
  readonly json: Readonly<Record<string, any>>;
}

export type Severity = "error" | "warning";

/** One violation: what, where and how to fix it. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Construct path of the offending resource (or the stack). */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  /**
   * Set when a suppression next to the resource excuses this finding: it is listed in the
   * synth output but does not fail synth.
   */
  readonly suppressed?: { readonly reason: string; readonly at: string };
}

/**
 * A guardrail: a pure function from a synthesized stack to findings. Rules never see cdktf
 * constructs, so they can be tested on hand-written JSON and run on any synthesized stack.
 */
export interface Rule {
  /** Stable id, "<pack>/<name>", used in findings and suppressions. */
  readonly id: string;
  readonly pack: "security" | "tenancy" | "network" | "tagging";
  readonly severity: Severity;
  /** One line: what the rule guarantees. */
  readonly description: string;
  readonly check: (stack: StackView) => readonly Omit<Finding, "ruleId" | "severity">[];
}

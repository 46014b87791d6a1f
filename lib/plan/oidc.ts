import { fnv1a } from "./stack-plan";

/*
 * OIDC trust between Terraform Cloud workspaces and AWS accounts, as pure data.
 *
 * Every AWS account holds the `app.terraform.io` OIDC provider and, per workspace that runs in
 * it, a plan role (read-only) and an apply role. Each role trusts exactly one workspace in one
 * run phase: the token's `sub` must equal
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>` and its `aud`
 * must be `aws.workload.identity`. No wildcard anywhere: a wildcard on the workspace would let
 * any workspace of the project (including one a developer creates) act as another.
 */

/** Host of Terraform Cloud's OIDC issuer; also the prefix of its condition keys in IAM. */
export const TFC_OIDC_HOST = "app.terraform.io";
/** The audience Terraform Cloud puts in AWS tokens unless TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE is set. */
export const TFC_AWS_AUDIENCE = "aws.workload.identity";
/** Name of the service-managed StackSet that plants the trust in every account but the management account. */
export const OIDC_STACK_SET_NAME = "tfc-oidc-trust";
/** Managed policy of plan roles: a speculative plan only reads (and `planDataReadDeny` keeps it to metadata). */
export const PLAN_POLICY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";
/**
 * Data a plan never needs and ReadOnlyAccess would let it read: object contents, table items,
 * parameter and secret values, queue messages, stream records. A plan refreshes metadata only.
 * `lambda:GetFunction` stays: Terraform refreshes a function with it (it also returns a code
 * download link, so function code stays readable to plans; see README "Access").
 */
export const PLAN_DATA_READ_ACTIONS = [
  "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
  "kinesis:GetRecords", "s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue",
  "sqs:ReceiveMessage", "ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:GetParametersByPath",
] as const;

/** The inline policy every plan role carries next to ReadOnlyAccess. */
export function planDataReadDeny(): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "PlansReadMetadataNotData", Effect: "Deny", Action: [...PLAN_DATA_READ_ACTIONS], Resource: "*" }],
  };
}

/**
 * Managed policy of apply roles. Applies create anything a stack declares; what they may not
 * do is bounded by the organization's SCPs and the guardrails, not by this role.
 */
export const APPLY_POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

export type RunPhase = "plan" | "apply";

/** The longest role-name suffix: IAM role names are at most 64 characters, "tfc-apply-" takes 10. */
const ROLE_SUFFIX_MAX = 54;
/** A part of a subject claim may not contain the separator or a wildcard. */
const SUBJECT_PART = /^[^:*?]+$/;

/** The exact `sub` claim of one workspace's runs in one phase; throws on wildcards or separators. */
export function workspaceSubject(organization: string, project: string, workspace: string, phase: RunPhase): string {
  for (const [what, value] of [["organization", organization], ["project", project], ["workspace", workspace]] as const) {
    if (!SUBJECT_PART.test(value)) throw new Error(`OIDC ${what} "${value}" must be a plain name: no ":", "*" or "?"`);
  }
  return `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`;
}

/**
 * The part of a workspace's role names after `tfc-<phase>-`, shared by both phases: the
 * workspace name, or, when that would exceed IAM's 64 characters, the name cut short plus an
 * 8-digit hash of the whole name, so two long names never share a role.
 */
export function roleSuffix(workspace: string): string {
  if (workspace.length <= ROLE_SUFFIX_MAX) return workspace;
  const hash = fnv1a(workspace).toString(16).padStart(8, "0");
  return `${workspace.slice(0, ROLE_SUFFIX_MAX - hash.length - 1)}-${hash}`;
}

/** Deterministic name of a workspace's plan or apply role: `tfc-<phase>-<roleSuffix>`. */
export function roleName(workspace: string, phase: RunPhase): string {
  return roleNameFromSuffix(roleSuffix(workspace), phase);
}

/** ARN of a workspace's role in an account (the account may be a Terraform expression). */
export function roleArn(accountId: string, workspace: string, phase: RunPhase): string {
  return `arn:aws:iam::${accountId}:role/${roleName(workspace, phase)}`;
}

/** Role name from a shared suffix; the StackSet template does the same with Fn::Sub. */
export function roleNameFromSuffix(suffix: string, phase: RunPhase): string {
  return `tfc-${phase}-${suffix}`;
}

/** ARN of the Terraform Cloud OIDC provider in an account. */
export function oidcProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${TFC_OIDC_HOST}`;
}

/**
 * The trust policy of one role: only web-identity tokens from the Terraform Cloud provider,
 * with our audience and the exact subject. `provider` and `subject` are usually strings; the
 * StackSet template passes CloudFormation expressions (`{"Ref": ...}`, `{"Fn::Sub": ...}`).
 */
export function trustPolicy<P, S>(provider: P, subject: S) {
  return {
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { Federated: provider },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${TFC_OIDC_HOST}:aud`]: TFC_AWS_AUDIENCE,
          [`${TFC_OIDC_HOST}:sub`]: subject,
        },
      },
    }],
  };
}

/** Subject pattern a trust must match exactly: no wildcard in any part, a known phase. */
export const EXACT_SUBJECT = /^organization:[^:*?]+:project:[^:*?]+:workspace:[^:*?]+:run_phase:(plan|apply)$/;

/**
 * Problems of one trust policy document (as parsed JSON): every statement that trusts the
 * Terraform Cloud provider must require our audience and exact subjects (one, or a list of
 * named workspaces) with StringEquals.
 * A subject may be a string or a CloudFormation `Fn::Sub` whose template is exact apart from
 * `${Parameter}` placeholders for the workspace. Pure: the guardrail runs it on synthesized JSON.
 */
export function trustProblems(policy: unknown): string[] {
  const problems: string[] = [];
  const doc = policy as { Statement?: unknown };
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  for (const [i, raw] of statements.entries()) {
    const st = raw as { Principal?: { Federated?: unknown }; Condition?: Record<string, Record<string, unknown>> };
    if (!mentionsTfc(st.Principal?.Federated)) continue;
    const where = `statement ${i}`;
    const conditions = st.Condition ?? {};
    for (const op of Object.keys(conditions)) {
      if (op !== "StringEquals" && Object.keys(conditions[op] ?? {}).some((k) => k.startsWith(`${TFC_OIDC_HOST}:`))) {
        problems.push(`${where} tests ${TFC_OIDC_HOST} claims with ${op}; only StringEquals is exact`);
      }
    }
    const equals = conditions.StringEquals ?? {};
    const aud = equals[`${TFC_OIDC_HOST}:aud`];
    if (aud !== TFC_AWS_AUDIENCE) problems.push(`${where} does not require ${TFC_OIDC_HOST}:aud = ${TFC_AWS_AUDIENCE}`);
    const sub = equals[`${TFC_OIDC_HOST}:sub`];
    // A list under StringEquals is a set of exact subjects (a role shared by a few named
    // workspaces, such as the namespace shards of a region); each must be exact on its own.
    const subs = Array.isArray(sub) && sub.length > 0 ? sub : [sub];
    for (const one of subs) {
      const text = subjectText(one);
      if (text === undefined) problems.push(`${where} does not require exact ${TFC_OIDC_HOST}:sub values`);
      else if (!EXACT_SUBJECT.test(text)) problems.push(`${where} trusts sub "${text}", which is not organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply> without wildcards`);
    }
  }
  return problems;
}

/** True when a principal refers to the Terraform Cloud provider (by ARN or by CloudFormation Ref). */
export function mentionsTfc(principal: unknown): boolean {
  return JSON.stringify(principal ?? "").includes(TFC_OIDC_HOST) || JSON.stringify(principal ?? "").includes(OIDC_PROVIDER_LOGICAL_ID);
}

/** The subject as text: a string, or an Fn::Sub template with `${Param}` standing for the workspace. */
function subjectText(sub: unknown): string | undefined {
  if (typeof sub === "string") return sub;
  const tpl = (sub as { "Fn::Sub"?: unknown })?.["Fn::Sub"];
  const text = typeof tpl === "string" ? tpl : Array.isArray(tpl) && typeof tpl[0] === "string" ? tpl[0] : undefined;
  // A placeholder fills one whole part: it cannot carry a wildcard because CloudFormation
  // parameters in the template are constrained by AllowedPattern (see bootstrapTemplate).
  return text?.replace(/\$\{[A-Za-z0-9]+\}/g, "WORKSPACE");
}

/** Logical ID of the OIDC provider in the bootstrap template. */
export const OIDC_PROVIDER_LOGICAL_ID = "TerraformCloudOidcProvider";

/** Names of the two parameters of workspace slot `i` (1-based) in the bootstrap template. */
export function slotParameters(i: number): { workspace: string; roleSuffix: string } {
  return { workspace: `Workspace${i}`, roleSuffix: `RoleSuffix${i}` };
}

/**
 * Parameter values that give an account the roles of these workspaces, slot by slot.
 * Throws when there are more workspaces than slots (the template would silently drop one).
 */
export function slotValues(workspaces: readonly string[], slots: number): Record<string, string> {
  if (workspaces.length > slots) throw new Error(`${workspaces.length} workspaces need trust in one account, but the template has ${slots} slots`);
  const out: Record<string, string> = {};
  [...workspaces].sort().forEach((w, i) => {
    const p = slotParameters(i + 1);
    out[p.workspace] = w;
    out[p.roleSuffix] = roleSuffix(w);
  });
  return out;
}

/** Inline policies of a plan role: no data reads, and the read-only chains it needs while planning. */
function planRolePolicies(chainRoleArns: readonly string[]): object[] {
  const policies: object[] = [{ PolicyName: "deny-data-reads", PolicyDocument: planDataReadDeny() }];
  if (chainRoleArns.length > 0) {
    policies.push({
      PolicyName: "assume-read-only-twins",
      PolicyDocument: { Version: "2012-10-17", Statement: [{ Sid: "ChainToReadOnlyTwins", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...chainRoleArns] }] },
    });
  }
  return policies;
}

/**
 * The CloudFormation template that creates the Terraform Cloud OIDC provider and the plan and
 * apply roles of up to `slots` workspaces in one account.
 *
 * Why slots and not a loop: service-managed StackSets cannot use transforms, so Fn::ForEach
 * (AWS::LanguageExtensions) is unavailable; each slot is a pair of parameters (the workspace
 * name the subject names, and the role-name suffix, which differs only for very long names)
 * and a condition that leaves empty slots out. Slots default to empty, so adding slots later
 * changes no existing stack instance's parameters.
 */
export function bootstrapTemplate(options: {
  readonly organization: string;
  readonly project: string;
  readonly slots: number;
  /**
   * Roles in other accounts the plan roles may chain into (the network account's read-only
   * twins `tgw-read-*`, which service and cluster stacks assume while planning): ReadOnlyAccess
   * grants no `sts:AssumeRole`. @default - none
   */
  readonly planChainRoleArns?: readonly string[];
}): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  const conditions: Record<string, unknown> = {};
  const resources: Record<string, unknown> = {
    [OIDC_PROVIDER_LOGICAL_ID]: {
      Type: "AWS::IAM::OIDCProvider",
      Properties: { Url: `https://${TFC_OIDC_HOST}`, ClientIdList: [TFC_AWS_AUDIENCE] },
    },
  };
  for (let i = 1; i <= options.slots; i++) {
    const p = slotParameters(i);
    parameters[p.workspace] = {
      Type: "String",
      Default: "",
      // Workspace names are letters, digits, "-" and "_": no wildcard can reach the subject.
      AllowedPattern: "^[A-Za-z0-9_-]{0,90}$",
      Description: `Terraform Cloud workspace whose runs may use this account (slot ${i}; empty = unused)`,
    };
    parameters[p.roleSuffix] = {
      Type: "String",
      Default: "",
      AllowedPattern: "^[A-Za-z0-9_-]{0,54}$",
      Description: `Role name suffix of slot ${i}: tfc-plan-<suffix> and tfc-apply-<suffix>`,
    };
    const condition = `HasWorkspace${i}`;
    conditions[condition] = { "Fn::Not": [{ "Fn::Equals": [{ Ref: p.workspace }, ""] }] };
    for (const phase of ["plan", "apply"] as const) {
      resources[`${phase === "plan" ? "Plan" : "Apply"}Role${i}`] = {
        Type: "AWS::IAM::Role",
        Condition: condition,
        Properties: {
          RoleName: { "Fn::Sub": `${roleNameFromSuffix(`\${${p.roleSuffix}}`, phase)}` },
          Description: { "Fn::Sub": `Terraform Cloud ${phase} runs of workspace \${${p.workspace}}` },
          AssumeRolePolicyDocument: trustPolicy(
            { Ref: OIDC_PROVIDER_LOGICAL_ID },
            { "Fn::Sub": workspaceSubject(options.organization, options.project, `\${${p.workspace}}`, phase) },
          ),
          ManagedPolicyArns: [phase === "plan" ? PLAN_POLICY_ARN : APPLY_POLICY_ARN],
          ...(phase === "plan" ? { Policies: planRolePolicies(options.planChainRoleArns ?? []) } : {}),
          MaxSessionDuration: 3600,
        },
      };
    }
  }
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Terraform Cloud OIDC trust for organization ${options.organization}, project ${options.project} (generated by super-terraform; do not edit)`,
    Parameters: parameters,
    Conditions: conditions,
    Resources: resources,
  };
}

/**
 * Problems of every IAM role in a CloudFormation template that trusts Terraform Cloud, by
 * logical ID. A `${Parameter}` in a subject must be a parameter whose AllowedPattern rejects
 * wildcards, so no stack instance can widen the trust through a parameter value.
 */
export function templateTrustProblems(template: unknown): Array<{ resource: string; problem: string }> {
  const t = template as { Parameters?: Record<string, { AllowedPattern?: string }>; Resources?: Record<string, { Type?: string; Properties?: { AssumeRolePolicyDocument?: unknown } }> };
  const out: Array<{ resource: string; problem: string }> = [];
  for (const [id, r] of Object.entries(t?.Resources ?? {})) {
    if (r?.Type !== "AWS::IAM::Role") continue;
    const doc = r.Properties?.AssumeRolePolicyDocument;
    for (const problem of trustProblems(doc)) out.push({ resource: id, problem });
    for (const param of subjectParameters(doc)) {
      const pattern = t.Parameters?.[param]?.AllowedPattern;
      if (pattern === undefined || new RegExp(pattern).test("*") || new RegExp(pattern).test(":")) {
        out.push({ resource: id, problem: `subject parameter ${param} has no AllowedPattern that rejects "*" and ":"` });
      }
    }
  }
  return out;
}

/** Parameters named by `${...}` in the Terraform Cloud subjects of a policy document. */
function subjectParameters(policy: unknown): string[] {
  const text = JSON.stringify(policy ?? {});
  const names = new Set<string>();
  for (const m of text.matchAll(/workspace:\$\{([A-Za-z0-9]+)\}/g)) names.add(m[1]!);
  return [...names].sort();
}

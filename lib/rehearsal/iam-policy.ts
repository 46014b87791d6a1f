/*
 * The structure AWS checks when it receives a policy document: valid JSON, a known Version,
 * Statement as one object or a list of them, each with Effect, exactly one of Action and
 * NotAction, and the Principal and Resource elements its kind of policy demands or forbids.
 * Interpolations inside JSON strings stand for values known only at apply and are accepted.
 */

/**
 * Which policy the document is: an identity policy, a role's trust policy, a resource policy,
 * a resource policy whose resource is implied by what it is attached to (an ECR repository's:
 * Resource may be left out), an SCP or an RCP.
 */
export type PolicyKind = "identity" | "trust" | "resource" | "attached" | "scp" | "rcp";

/** Problems found, or `notChecked` with why the document could not be read. */
export interface PolicyVerdict {
  readonly problems: readonly string[];
  readonly notChecked?: string;
}

const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const TOP_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
/** Placeholder for an interpolation inside a JSON string: no quote, brace or backslash. */
const UNKNOWN = "__apply_time_value__";

/** Checks one policy document as Terraform will send it (a JSON string that may hold `${...}`). */
export function checkPolicy(text: string, kind: PolicyKind): PolicyVerdict {
  const substituted = text.replace(/(?<!\$)\$\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/g, UNKNOWN);
  let doc: unknown;
  try {
    doc = JSON.parse(substituted);
  } catch (error) {
    if (text.includes("${") && !insideStringsOnly(text)) return { problems: [], notChecked: "the document is assembled by an expression, so its JSON is only known at apply" };
    return { problems: [`not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const problems: string[] = [];
  if (!isObject(doc)) return { problems: ["the document is not a JSON object"] };
  for (const key of Object.keys(doc)) if (!TOP_KEYS.has(key)) problems.push(`unknown top-level element "${key}" (expected Version, Id, Statement)`);
  if (doc.Version === undefined) problems.push(`no "Version": without "2012-10-17" policy variables are not substituted and some features are refused`);
  else if (typeof doc.Version !== "string" || !VERSIONS.has(doc.Version)) problems.push(`"Version" is ${JSON.stringify(doc.Version)}; it must be "2012-10-17"`);
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? undefined : [doc.Statement];
  if (!statements || statements.length === 0) {
    problems.push(`no "Statement"`);
    return { problems };
  }
  statements.forEach((s, i) => problems.push(...statementProblems(s, kind).map((p) => `Statement[${i}]${isObject(s) && typeof s.Sid === "string" ? ` (${s.Sid})` : ""}: ${p}`)));
  return { problems };
}

function statementProblems(s: unknown, kind: PolicyKind): string[] {
  if (!isObject(s)) return ["is not an object"];
  const problems: string[] = [];
  for (const key of Object.keys(s)) if (!STATEMENT_KEYS.has(key)) problems.push(`unknown element "${key}"`);
  if (s.Effect !== "Allow" && s.Effect !== "Deny") problems.push(`"Effect" is ${JSON.stringify(s.Effect)}; it must be "Allow" or "Deny"`);
  problems.push(...exactlyOne(s, "Action", "NotAction", true));
  const principalRule = kind === "trust" || kind === "resource" || kind === "attached" || kind === "rcp" ? "required" : "forbidden";
  const resourceRule = kind === "identity" || kind === "resource" || kind === "rcp" ? "required" : kind === "trust" ? "forbidden" : "optional";
  if (principalRule === "forbidden" && (s.Principal !== undefined || s.NotPrincipal !== undefined)) problems.push(`has a Principal, which ${describe(kind)} must not have`);
  if (principalRule === "required") problems.push(...exactlyOne(s, "Principal", "NotPrincipal", true, kind));
  if (resourceRule === "forbidden" && (s.Resource !== undefined || s.NotResource !== undefined)) problems.push(`has a Resource, which ${describe(kind)} must not have`);
  if (resourceRule !== "forbidden") problems.push(...exactlyOne(s, "Resource", "NotResource", resourceRule === "required", kind));
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
    const v = s[key];
    if (v !== undefined && !isStringOrStrings(v)) problems.push(`"${key}" must be a string or a list of strings`);
  }
  for (const key of ["Action", "NotAction"]) {
    for (const a of strings(s[key])) if (a !== "*" && !a.includes(UNKNOWN) && !/^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) problems.push(`action "${a}" is not of the form "service:Action"`);
  }
  if (s.Condition !== undefined && !conditionValid(s.Condition)) problems.push(`"Condition" must map operators to objects of keys to a string, boolean, number or list of them`);
  return problems;
}

function exactlyOne(s: Record<string, unknown>, a: string, b: string, required: boolean, kind?: PolicyKind): string[] {
  if (s[a] !== undefined && s[b] !== undefined) return [`has both "${a}" and "${b}"; use one`];
  if (required && s[a] === undefined && s[b] === undefined) return [`has neither "${a}" nor "${b}"${kind ? `, which ${describe(kind)} requires` : ""}`];
  return [];
}

function describe(kind: PolicyKind): string {
  return { identity: "an identity policy", trust: "a role trust policy", resource: "a resource policy", attached: "a resource policy", scp: "a service control policy", rcp: "a resource control policy" }[kind];
}

function conditionValid(c: unknown): boolean {
  if (!isObject(c)) return false;
  return Object.values(c).every((keys) => isObject(keys) && Object.values(keys).every((v) => isScalar(v) || (Array.isArray(v) && v.every(isScalar))));
}

function isScalar(v: unknown): boolean {
  return typeof v === "string" || typeof v === "boolean" || typeof v === "number";
}

function isStringOrStrings(v: unknown): boolean {
  return typeof v === "string" || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string"));
}

function strings(v: unknown): string[] {
  return typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether every interpolation of a JSON text sits inside a JSON string literal. */
function insideStringsOnly(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString && c === "\\") i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === "$" && text[i + 1] === "{") return false;
  }
  return true;
}

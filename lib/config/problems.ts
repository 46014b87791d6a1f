/** One thing wrong in the config, with everything a developer needs to fix it. */
export interface Problem {
  /** Path of the config file, relative to the repository (e.g. `config/services/payments.ts`). */
  readonly file: string;
  /** Entry key within the file (service or developer key); "" for file-level problems. */
  readonly entry: string;
  /** Dotted field path within the entry (e.g. `account.email`); "" for the entry itself. */
  readonly field: string;
  /** The offending value, as the user wrote it. */
  readonly value: unknown;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Line in the file, 1-based, where it is known (lib/config/source.ts `locateProblems`). @default - not located */
  readonly line?: number;
  /** Column in the line, 1-based. @default - not located */
  readonly column?: number;
}

/** Thrown once by validation with every problem found; never partially. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`config has ${problems.length} problem(s)`);
    this.name = "ConfigError";
  }
}

/** Splits a schema message written as "<problem>. Fix: <fix>". */
export function splitFix(message: string, fallbackFix: string): { message: string; fix: string } {
  const at = message.indexOf(". Fix: ");
  if (at < 0) return { message, fix: fallbackFix };
  return { message: message.slice(0, at), fix: message.slice(at + ". Fix: ".length) };
}

/** Shows a value the way it looks in the config file, shortened so one bad value cannot flood the output. */
export function showValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = "(missing)";
  else if (typeof value === "string") text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Stable order: by file, entry, field, message, so output is the same run to run. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const k = (p: Problem) => [p.file, p.entry, p.field, p.message].join("\u0000");
  return [...problems].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

/** Human-readable report: one block per problem, all at once. `outcome` says what did not happen. */
export function formatProblems(problems: readonly Problem[], outcome = "nothing was synthesized"): string {
  const lines = [`Config has ${problems.length} problem${problems.length === 1 ? "" : "s"}; ${outcome}.`, ""];
  for (const p of sortProblems(problems)) {
    const where = [p.file, p.entry, p.field].filter((s) => s !== "").join(" > ");
    lines.push(`${where}`);
    if (p.line !== undefined) lines.push(`  at:      ${p.file}:${p.line}:${p.column ?? 1}`);
    // A file that cannot be loaded has no value to show.
    if (!(p.entry === "" && p.field === "" && p.value === undefined)) lines.push(`  value:   ${showValue(p.value)}`);
    lines.push(`  problem: ${p.message}`);
    lines.push(`  fix:     ${p.fix}`);
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * Every problem as a GitHub Actions workflow command (`::error file=...,line=...,col=...::`),
 * which the pull request shows as an annotation on that line of the file. One line each.
 */
export function formatProblemsForGithub(problems: readonly Problem[]): string {
  return sortProblems(problems).map((p) => {
    // Some checks name the line in the file itself ("config/platform.ts:2"); GitHub needs it apart.
    const suffix = p.line === undefined ? /^(.*):(\d+)$/.exec(p.file) : null;
    const file = suffix ? suffix[1]! : p.file;
    const line = suffix ? Number(suffix[2]) : p.line;
    const props = [`file=${escapeProperty(file)}`];
    if (line !== undefined) props.push(`line=${line}`, `col=${p.column ?? 1}`);
    const where = [p.entry, p.field].filter((s) => s !== "").join(" > ");
    props.push(`title=${escapeProperty(where === "" ? p.file : `${p.file} > ${where}`)}`);
    const value = p.entry === "" && p.field === "" && p.value === undefined ? "" : ` (value: ${showValue(p.value)})`;
    const body = `${p.message}${value}. Fix: ${p.fix}`;
    return `::error ${props.join(",")}::${escapeData(body)}\n`;
  }).join("");
}

/** Workflow command data: %, CR and LF are escaped so a message stays one command. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Workflow command properties also escape the separators `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

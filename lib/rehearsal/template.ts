/*
 * Terraform's reading of a JSON string: every string in an expression position is a template,
 * `${ ... }` an interpolation and `%{ ... }` a directive, unless written `$${` / `%%{`. This
 * file finds a string's interpolations and the references each expression makes, enough to
 * check them against the stack's declarations (an HCL expression scanner, not a full parser).
 */

/** One `${...}` of a template: the expression text between the braces. */
export interface Interpolation {
  readonly expression: string;
}

/** A template's interpolations, and what is malformed in it (an unclosed `${`, an unknown `%{`). */
export interface Template {
  readonly interpolations: readonly Interpolation[];
  readonly problems: readonly string[];
}

/** One step after a reference's root: an attribute name, a literal index or key, a splat, or an index only known at apply. */
export type Step = { readonly attr: string } | { readonly index: number | string } | { readonly splat: true } | { readonly dynamic: true };

/** A reference an expression makes: `aws_vpc.main.id` is root "aws_vpc", steps .main, .id. */
export interface Reference {
  readonly root: string;
  readonly steps: readonly Step[];
  /** The reference as written, for messages. */
  readonly text: string;
}

const DIRECTIVES = /^%\{~?\s*(if|else|endif|for|endfor)\b/;
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if"]);
const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;

/** Splits a template string into its interpolations. */
export function parseTemplate(text: string): Template {
  const interpolations: Interpolation[] = [];
  const problems: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      i += 2;
      continue;
    }
    if (c === "%" && text[i + 1] === "{" && !DIRECTIVES.test(text.slice(i))) {
      problems.push(`"${excerpt(text, i)}" starts a template directive; a literal "%{" must be written "%%{"`);
      continue;
    }
    if (c !== "$" || text[i + 1] !== "{") continue;
    const end = closingBrace(text, i + 2);
    if (end < 0) {
      problems.push(`"${excerpt(text, i)}" opens an interpolation that is never closed; a literal "\${" must be written "$\${"`);
      break;
    }
    interpolations.push({ expression: text.slice(i + 2, end) });
    i = end;
  }
  return { interpolations, problems };
}

/** Every reference an expression makes (function names, object keys, keywords and `for` iterators excluded). */
export function referencesOf(expression: string): Reference[] {
  const refs: Reference[] = [];
  const bound = new Set<string>();
  const forIterators = /\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g;
  for (const m of expression.matchAll(forIterators)) for (const n of [m[1], m[2]]) if (n) bound.add(n);
  const brackets: string[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i]!;
    if (c === '"') {
      const end = stringEnd(expression, i);
      // A quoted string inside an expression is a template of its own.
      for (const inner of parseTemplate(expression.slice(i + 1, end)).interpolations) refs.push(...referencesOf(inner.expression).filter((r) => !bound.has(r.root)));
      i = end + 1;
      continue;
    }
    if (c === "<" && expression.startsWith("<<", i)) break; // heredocs do not occur in JSON output
    if ("([{".includes(c)) brackets.push(c);
    if (")]}".includes(c)) brackets.pop();
    if (!IDENT_START.test(c) || (i > 0 && (IDENT.test(expression[i - 1]!) || expression[i - 1] === "."))) {
      i++;
      continue;
    }
    let j = i;
    while (j < expression.length && IDENT.test(expression[j]!)) j++;
    const root = expression.slice(i, j);
    const after = expression.slice(j).trimStart();
    const isKey = brackets.at(-1) === "{" && (/^=(?!=)/.test(after) || (after.startsWith(":") && !/\?[^:]*$/.test(expression.slice(0, i))));
    if (KEYWORDS.has(root) || after.startsWith("(") || after.startsWith("::") || isKey || bound.has(root)) {
      i = j;
      continue;
    }
    const { steps, end, inner } = traversal(expression, j);
    refs.push({ root, steps, text: expression.slice(i, end) });
    for (const e of inner) refs.push(...referencesOf(e).filter((r) => !bound.has(r.root)));
    i = end;
  }
  return refs;
}

/** The attribute and index steps after a root, where they end, and the index expressions to scan. */
function traversal(text: string, from: number): { steps: Step[]; end: number; inner: string[] } {
  const steps: Step[] = [];
  const inner: string[] = [];
  let i = from;
  for (;;) {
    if (text[i] === "." && text[i + 1] === "*") {
      steps.push({ splat: true });
      i += 2;
    } else if (text[i] === "." && /[A-Za-z_]/.test(text[i + 1] ?? "")) {
      let j = i + 1;
      while (j < text.length && IDENT.test(text[j]!)) j++;
      steps.push({ attr: text.slice(i + 1, j) });
      i = j;
    } else if (text[i] === "." && /\d/.test(text[i + 1] ?? "")) {
      let j = i + 1;
      while (j < text.length && /\d/.test(text[j]!)) j++;
      steps.push({ index: Number(text.slice(i + 1, j)) });
      i = j;
    } else if (text[i] === "[") {
      const end = closingBracket(text, i + 1);
      const body = text.slice(i + 1, end).trim();
      if (body === "*") steps.push({ splat: true });
      else if (/^\d+$/.test(body)) steps.push({ index: Number(body) });
      else if (/^"[^"\\$%]*"$/.test(body)) steps.push({ index: body.slice(1, -1) });
      else {
        steps.push({ dynamic: true });
        inner.push(body);
      }
      i = end + 1;
    } else return { steps, end: i, inner };
  }
}

/** Index of the `}` closing an interpolation opened just before `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i);
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function closingBracket(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i);
    else if (c === "[") depth++;
    else if (c === "]") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return text.length;
}

/** Index of the quote closing the string literal that opens at `from` (skipping escapes and nested templates). */
function stringEnd(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === '"') return i;
    else if (c === "$" && text[i + 1] === "{") {
      const end = closingBrace(text, i + 2);
      if (end < 0) return text.length;
      i = end;
    }
  }
  return text.length;
}

function excerpt(text: string, at: number): string {
  const end = text.indexOf("}", at);
  return text.slice(at, end >= 0 && end - at < 40 ? end + 1 : at + 20);
}

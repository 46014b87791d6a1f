import { readFileSync } from "node:fs";
import path from "node:path";
import type * as TS from "typescript";
import type { Problem } from "./problems";
import { importModule } from "../import-module";

/*
 * Reading config files as source text, for what importing them cannot tell: where in a file a
 * problem is (line and column), and what an index lists when one of its imports fails. The
 * TypeScript parser is loaded only on that path: a valid config never pays for it.
 */

type Ts = typeof TS;
let loaded: Ts | undefined;
async function typescript(): Promise<Ts> {
  loaded ??= ((await importModule("typescript")) as { default: Ts }).default;
  return loaded;
}

function parse(ts: Ts, file: string, text: string): TS.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/**
 * What an index file (`services.ts`) lists, read from its source: key -> the module it imports
 * for that key (e.g. `./services/ledger.js`). Undefined when the default export is not an object
 * of imported names (then only importing the file can tell).
 */
export async function indexFromSource(file: string): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const ts = await typescript();
  const source = parse(ts, file, text);
  const imports = new Map<string, string>();
  let exported: TS.Expression | undefined;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.importClause?.name) {
      imports.set(statement.importClause.name.text, statement.moduleSpecifier.text);
    }
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) exported = statement.expression;
  }
  const object = exported && objectOf(ts, exported);
  if (!object) return undefined;
  const out = new Map<string, string>();
  for (const property of object.properties) {
    const key = property.name && nameOf(ts, property.name);
    const value = ts.isShorthandPropertyAssignment(property) ? property.name : ts.isPropertyAssignment(property) ? property.initializer : undefined;
    if (key === undefined || !value || !ts.isIdentifier(value) || !imports.has(value.text)) return undefined;
    out.set(key, imports.get(value.text)!);
  }
  return out;
}

/**
 * Where a file imports the module that resolves to `target` (an absolute path; `.js` and `.ts`
 * name the same module); undefined when no import does.
 */
export async function importLine(file: string, target: string): Promise<{ line: number; column: number; specifier: string } | undefined> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const ts = await typescript();
  const source = parse(ts, file, text);
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const resolved = specifier.startsWith(".") ? path.resolve(path.dirname(file), specifier) : specifier;
    if (stem(resolved) === stem(target)) return { ...position(source, statement.moduleSpecifier.getStart(source)), specifier };
  }
  return undefined;
}

/**
 * Fills in line and column of every problem that has none, from the config file's source: the
 * entry and field are followed as property names through the file's exported object (a
 * `define...({...})` call or a plain object); a field that is missing points at the closest
 * enclosing object. `resolve` maps a problem's file (as shown) to the file on disk.
 */
export async function locateProblems(problems: readonly Problem[], resolve: (shown: string) => string | undefined): Promise<Problem[]> {
  if (problems.every((p) => p.line !== undefined)) return [...problems];
  const ts = await typescript();
  const sources = new Map<string, TS.SourceFile | undefined>();
  const sourceOf = (file: string): TS.SourceFile | undefined => {
    if (!sources.has(file)) {
      try {
        sources.set(file, parse(ts, file, readFileSync(file, "utf8")));
      } catch {
        sources.set(file, undefined);
      }
    }
    return sources.get(file);
  };
  return problems.map((p) => {
    if (p.line !== undefined) return p;
    const file = resolve(p.file);
    const source = file === undefined ? undefined : sourceOf(file);
    if (!source) return p;
    const exported = source.statements.find((s): s is TS.ExportAssignment => ts.isExportAssignment(s) && !s.isExportEquals);
    let node: TS.Node = exported ?? source.statements[0] ?? source;
    // A service file holds one entry; the other files hold entries by key (an index, the
    // developer map, tombstones) or are one entry (platform.ts, whose problems have no entry).
    const inServiceFile = /\/services\/[^/]+\.[mc]?[jt]s$/.test(p.file);
    const steps = [...(inServiceFile || p.entry === "" ? [] : [p.entry]), ...(p.field === "" ? [] : p.field.split("."))];
    let current: TS.Expression | undefined = exported ? exported.expression : undefined;
    for (const step of steps) {
      const container: TS.ObjectLiteralExpression | TS.ArrayLiteralExpression | undefined = current && (objectOf(ts, current) ?? arrayOf(ts, current));
      if (!container) break;
      let next: TS.Node | undefined;
      if (ts.isObjectLiteralExpression(container)) {
        next = container.properties.find((x) => x.name !== undefined && nameOf(ts, x.name) === step);
      } else if (/^\d+$/.test(step)) {
        next = container.elements[Number(step)];
      }
      if (!next) {
        node = container;
        break;
      }
      node = next;
      current = ts.isPropertyAssignment(next) ? next.initializer : ts.isShorthandPropertyAssignment(next) ? next.name : ts.isExpression(next) ? next : undefined;
    }
    return { ...p, ...position(source, node.getStart(source)) };
  });
}

function stem(file: string): string {
  return file.replace(/\.[mc]?[jt]s$/, "");
}

function position(source: TS.SourceFile, at: number): { line: number; column: number } {
  const { line, character } = source.getLineAndCharacterOfPosition(at);
  return { line: line + 1, column: character + 1 };
}

/** The object literal an expression is, or the one it wraps (`defineX({...})`, `{...} as const`). */
function objectOf(ts: Ts, e: TS.Expression): TS.ObjectLiteralExpression | undefined {
  let x: TS.Expression = e;
  for (;;) {
    if (ts.isObjectLiteralExpression(x)) return x;
    if (ts.isCallExpression(x) && x.arguments.length > 0) x = x.arguments[0]!;
    else if (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
    else return undefined;
  }
}

function arrayOf(ts: Ts, e: TS.Expression): TS.ArrayLiteralExpression | undefined {
  let x: TS.Expression = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
  return ts.isArrayLiteralExpression(x) ? x : undefined;
}

function nameOf(ts: Ts, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

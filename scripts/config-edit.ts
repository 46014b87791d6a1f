import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CommanderError } from "commander";
import { type Node, type ObjectLiteralExpression, Project, type SourceFile } from "ts-morph";
import { renderCodeowners } from "../lib/review/codeowners";
import { loadConfig } from "../lib/config/load";
import type { OrganizationModel } from "../lib/config/model";
import { ConfigError, formatProblems, type Problem } from "../lib/config/problems";
import { validate } from "../lib/config/validate";

/*
 * Safe edits of the TypeScript config for the scaffolding commands: ts-morph parses the file
 * to find where an entry goes, and the entry is inserted as text at that spot, so everything
 * else in the file keeps its exact formatting. Every edit is validated on a temporary copy of
 * the config before any real file is written: bad input changes nothing.
 */

/** Where the config lives and how messages name it. */
export interface ConfigLocation {
  readonly dir: string;
  /** Label used in messages, e.g. "config". */
  readonly label: string;
  /** The CODEOWNERS file regenerated after a successful edit. */
  readonly codeowners: string;
}

export function locate(configDir: string, codeowners?: string): ConfigLocation {
  const dir = path.resolve(configDir);
  return { dir, label: path.relative(process.cwd(), dir) || ".", codeowners: path.resolve(codeowners ?? path.join(dir, "..", "CODEOWNERS")) };
}

/** Parses TypeScript source for locating nodes; nothing is written through ts-morph. */
export function parse(text: string, name = "file.ts"): SourceFile {
  return new Project({ useInMemoryFileSystem: true }).createSourceFile(name, text);
}

/** Loads and validates a config directory; returns the model or throws ConfigError. */
export async function loadModelAt(dir: string, label: string): Promise<OrganizationModel> {
  return validate(await loadConfig(dir, label));
}

/**
 * Validates the config as it would be after writing `files` (paths relative to the config
 * directory), using a temporary copy whose relative imports outside the config point back at
 * the real files. Returns the resulting model or throws ConfigError.
 */
export async function validateEdit(at: ConfigLocation, files: Readonly<Record<string, string>>): Promise<OrganizationModel> {
  const tmp = mkdtempSync(path.join(tmpdir(), "super-terraform-edit-"));
  try {
    cpSync(at.dir, tmp, { recursive: true });
    for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(tmp, rel), text);
    for (const rel of readdirSync(tmp, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"))) {
      const copy = path.join(tmp, rel);
      const original = path.join(at.dir, rel);
      const text = readFileSync(copy, "utf8").replace(/from "(\.\.?\/[^"]+)"/g, (whole, spec: string) => {
        const target = path.resolve(path.dirname(original), spec);
        return target.startsWith(at.dir + path.sep) ? whole : `from "${pathToFileURL(target).href}"`;
      });
      writeFileSync(copy, text);
    }
    return await loadModelAt(tmp, at.label);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Writes the edited files and CODEOWNERS for the new model. */
export function commit(at: ConfigLocation, files: Readonly<Record<string, string>>, model: OrganizationModel): void {
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(at.dir, rel), text);
  writeFileSync(at.codeowners, renderCodeowners(model));
}

/** Prints problems in validation's format and returns the exit code. */
export function reportProblems(problems: readonly Problem[]): number {
  process.stderr.write(formatProblems(problems, "no file was changed"));
  return 1;
}

/** Runs a scaffolding command and resolves to its exit code: ConfigError becomes the usual report, exit 1. */
export async function exitCodeOf(main: () => Promise<number>): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof ConfigError) return reportProblems(error.problems);
    // commander has already printed the usage error (or the help).
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nNo file was changed.\n`);
    return 2;
  }
}

/** Indentation of the line a node starts on. */
function indentOf(text: string, node: Node): string {
  const lineStart = text.lastIndexOf("\n", node.getStart(true) - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * Inserts `entry` (a property's text, possibly multi-line with lines after the first
 * indented relative to the property) into an object literal, before the first property whose
 * name sorts after `key`, keeping the file's indentation and trailing-comma style.
 */
export function insertProperty(text: string, object: ObjectLiteralExpression, key: string, entry: string): string {
  const props = object.getProperties();
  const nameOf = (p: Node) => ("getName" in p && typeof p.getName === "function" ? String(p.getName()).replace(/^["']|["']$/g, "") : "");
  const indent = props.length > 0 ? indentOf(text, props[0]!) : `${indentOf(text, object)}  `;
  const body = entry.split("\n").map((line, i) => (i === 0 ? line : `${indent}${line}`)).join("\n");
  if (props.length === 0) {
    const open = object.getStart() + 1;
    return `${text.slice(0, open)}\n${indent}${body},\n${indentOf(text, object)}${text.slice(object.getEnd() - 1)}`;
  }
  const before = props.find((p) => nameOf(p) > key);
  if (before) {
    const lineStart = text.lastIndexOf("\n", before.getStart(true) - 1) + 1;
    return `${text.slice(0, lineStart)}${indent}${body},\n${text.slice(lineStart)}`;
  }
  const last = props[props.length - 1]!;
  const after = text.slice(last.getEnd());
  const comma = /^\s*,/.exec(after);
  if (comma) {
    const at = last.getEnd() + comma[0].length;
    return `${text.slice(0, at)}\n${indent}${body},${text.slice(at)}`;
  }
  return `${text.slice(0, last.getEnd())},\n${indent}${body}${text.slice(last.getEnd())}`;
}

/** Inserts an import line among the file's imports, ordered by module specifier. */
export function insertImport(text: string, file: SourceFile, line: string, specifier: string): string {
  const imports = file.getImportDeclarations();
  const before = imports.find((i) => i.getModuleSpecifierValue() > specifier);
  if (before) {
    const at = text.lastIndexOf("\n", before.getStart(true) - 1) + 1;
    return `${text.slice(0, at)}${line}\n${text.slice(at)}`;
  }
  if (imports.length === 0) return `${line}\n${text}`;
  const at = imports[imports.length - 1]!.getEnd();
  return `${text.slice(0, at)}\n${line}${text.slice(at)}`;
}

/** A property name as written in source: bare when it is an identifier, quoted otherwise. */
export function propertyName(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

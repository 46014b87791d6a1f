import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import platform from "./fixtures/org/platform.js";
import { generateOrg } from "../lib/config/generate-org";
import type { RawConfig } from "../lib/config/load";
import { ConfigError, formatProblems, type Problem } from "../lib/config/problems";
import { validate } from "../lib/config/validate";
import { synthesize } from "../synth.js";
import { scratchDir } from "./scratch.js";

/*
 * Property: whatever a developer types, the tool answers with a clear error (file, entry,
 * field) or a correct synth, never a crash, a stack trace or a partial cdktf.out.
 */

/** One region and one shard of each kind: every rule still runs, at half the synth cost. */
const base = { ...platform, regions: platform.regions.slice(0, 1), kubernetes: { ...platform.kubernetes, namespaceShards: 1 } };

type Json = unknown;

/** Values that are wrong in interesting ways. */
const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.double(),
  fc.boolean(),
  fc.string(),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
  fc.constant("x".repeat(10_000)),
  fc.constant("日本語のサービス"),
  fc.constant("🚀"),
  fc.constant(""),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  fc.constant("10.16.0.0/20"),
  fc.constant("999.1.1.1/40"),
  fc.constant({ cpu: "99999", memory: "99999Ti", pods: 1e9 }),
);

interface Mutation {
  readonly kind: string;
  apply(raw: MutableRaw, pick: (n: number) => number): void;
}

interface MutableRaw {
  platform: Record<string, any>;
  developers: Record<string, any>;
  index: Record<string, any>;
  serviceFiles: Record<string, any>;
}

/** Every path to a leaf or object in a value, for picking a field to break. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const out: string[][] = prefix.length > 0 ? [prefix] : [];
  for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(root: any, p: string[], value: unknown): void {
  let cur = root;
  for (const k of p.slice(0, -1)) cur = cur[k];
  if (value === undefined) delete cur[p[p.length - 1]!];
  else cur[p[p.length - 1]!] = value;
}

const keysOf = (o: Record<string, unknown>) => Object.keys(o).sort();

/** Mutations, each parameterized by a value and random picks. */
function mutations(value: Json): Mutation[] {
  const inEntry = (target: "platform" | "developer" | "service"): Mutation => ({
    kind: `${target}: set a field to a weird value`,
    apply(raw, pick) {
      const obj = target === "platform" ? raw.platform : target === "developer" ? raw.developers[keysOf(raw.developers)[pick(keysOf(raw.developers).length)]!] : raw.index[keysOf(raw.index)[pick(keysOf(raw.index).length)]!];
      if (!obj) return;
      const all = paths(obj);
      if (all.length === 0) return;
      setAt(obj, all[pick(all.length)]!, structuredClone(value));
    },
  });
  return [
    inEntry("platform"),
    inEntry("developer"),
    inEntry("service"),
    { kind: "extra field", apply(raw, pick) { const k = keysOf(raw.index); if (k.length) raw.index[k[pick(k.length)]!].surprise = value; } },
    { kind: "dangling owner", apply(raw, pick) { const k = keysOf(raw.index); if (k.length) raw.index[k[pick(k.length)]!].owners.push("nobody-here"); } },
    { kind: "duplicate account email", apply(raw) { const k = keysOf(raw.index); if (k.length > 1) raw.index[k[1]!].account.email = raw.index[k[0]!].account.email; } },
    { kind: "duplicate slack handle", apply(raw) { const k = keysOf(raw.index); if (k.length > 1) raw.index[k[1]!].slack.handle = raw.index[k[0]!].slack.handle; } },
    { kind: "duplicate github username", apply(raw) { const k = keysOf(raw.developers); if (k.length > 1) raw.developers[k[1]!].github = raw.developers[k[0]!].github; } },
    {
      kind: "overlapping CIDRs",
      apply(raw) {
        const k = keysOf(raw.index);
        if (k.length < 2) return;
        raw.index[k[1]!].network = structuredClone(raw.index[k[0]!].network);
        raw.index[k[1]!].regions = structuredClone(raw.index[k[0]!].regions);
      },
    },
    { kind: "empty developer map", apply(raw) { raw.developers = {}; } },
    { kind: "empty services index", apply(raw) { raw.index = {}; } },
    { kind: "huge quota", apply(raw, pick) { const k = keysOf(raw.index); if (k.length) raw.index[k[pick(k.length)]!].kubernetes.quota = { cpu: "1000000", memory: "1000000Ti", pods: 1e9 }; } },
    { kind: "file missing from index", apply(raw, pick) { const k = keysOf(raw.index); if (k.length) delete raw.index[k[pick(k.length)]!]; } },
    { kind: "unicode service key", apply(raw) { raw.index["サービス"] = value; raw.serviceFiles["サービス"] = raw.index["サービス"]; } },
    { kind: "whole entry replaced", apply(raw, pick) { const k = keysOf(raw.developers); if (k.length) raw.developers[k[pick(k.length)]!] = value; } },
  ];
}

/** Strips values from a message so messages of the same kind compare equal. */
const kindOf = (p: Problem) => p.message.replace(/"[^"]*"/g, '"…"').replace(/\d+(\.\d+)?/g, "N").replace(/config\/services\/\S+/g, "FILE");

/** What one fuzz run saw, printed by the test files for the record. */
export interface FuzzSummary {
  readonly synthesized: number;
  readonly rejected: number;
  readonly kinds: ReadonlySet<string>;
  /** Leftovers of a synth that failed half-way; must be empty. */
  readonly partial: readonly string[];
}

/**
 * Runs `runs` mutated organizations from `seed`. Split across test files (fuzz-*.test.ts) so
 * the suite's workers share the cases.
 */
export function fuzzConfig(seed: number, runs: number): FuzzSummary {
  const work = scratchDir("fuzz-");
  const kinds = new Set<string>();
  let synthesized = 0;
  let rejected = 0;
  try {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(), weirdValue, fc.array(fc.nat(), { minLength: 4, maxLength: 4 })), { minLength: 1, maxLength: 3 }),
        (orgSeed, developers, services, steps) => {
          const org = generateOrg(base, { developers, services, seed: orgSeed, vendingShards: 1 });
          const raw: MutableRaw = { platform: structuredClone(org.platform), developers: structuredClone(org.developers), index: structuredClone(org.services), serviceFiles: {} };
          for (const [which, value, picks] of steps) {
            const list = mutations(value);
            let i = 0;
            const pick = (n: number) => (n <= 0 ? 0 : picks[i++ % picks.length]! % n);
            try {
              list[which % list.length]!.apply(raw, pick);
            } catch {
              // A mutation that does not fit this organization's shape is skipped.
            }
          }
          if (Object.keys(raw.serviceFiles).length === 0) raw.serviceFiles = { ...raw.index };
          const config: RawConfig = { label: "config", ...raw, problems: [] };
          let problems: readonly Problem[] | undefined;
          try {
            const model = validate(config);
            const out = path.join(work, `out-${orgSeed}-${synthesized}`);
            synthesize(model, out);
            expect(readdirSync(path.join(out, "stacks")).length).toBeGreaterThan(0);
            rmSync(out, { recursive: true, force: true });
            synthesized++;
            return;
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            problems = error.problems;
          }
          rejected++;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.file).toMatch(/^config\/(platform|developers|services)(\/.+)?\.ts$/);
            // Entry problems name the entry; file-wide ones (an empty map, no approver) the field.
            expect(`${p.entry}${p.field}`).not.toBe("");
            expect(p.message).not.toMatch(/undefined|\[object Object\]/);
            expect(p.fix.length).toBeGreaterThan(3);
            kinds.add(kindOf(p));
          }
          const text = formatProblems(problems);
          expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
          expect(text.length).toBeLessThan(200_000);
        },
      ),
      { numRuns: runs, seed },
    );
    return { synthesized, rejected, kinds, partial: readdirSync(work).filter((f) => f.includes(".partial-")) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Cases per half. Sized by count, never by time: 2 x 100 cases reach every mutation kind
 * (15 kinds, drawn uniformly, 1-3 per case) and 37-39 distinct error kinds per half (20
 * required), at half the cost of 2 x 200 (each valid case is a full synth). Bugs planted to
 * check the count are still found at 2 x 100: a validator that throws on an empty list (one
 * half), a message with "undefined" for an unknown field (both halves), a synth that throws for
 * an organization of one service (both halves). A synth that throws only on a non-ASCII
 * description was found at neither 2 x 100 nor 2 x 200.
 */
export const FUZZ_RUNS = 100;

/** One half of the fuzz cases of every `npm test`, as a test file of its own (fuzz-1, fuzz-2). */
export function describeFuzzHalf(part: 1 | 2, seed: number): void {
  describe(`fuzzed config, part ${part} of 2`, () => {
    it(`answers ${FUZZ_RUNS} mutated organizations with a synth or a clear error`, () => {
      const run = fuzzConfig(seed, FUZZ_RUNS);
      // Not asserted as exact numbers (they change as rules are added); printed for the record.
      console.log(`fuzz part ${part}: ${run.synthesized} synthesized, ${run.rejected} rejected, ${run.kinds.size} distinct error kinds`);
      expect(run.synthesized + run.rejected).toBe(FUZZ_RUNS);
      // At least a quarter rejected, as with 500 cases per half.
      expect(run.rejected).toBeGreaterThan(FUZZ_RUNS / 4);
      expect(run.kinds.size).toBeGreaterThan(20);
      expect(run.partial).toEqual([]);
    });
  });
}

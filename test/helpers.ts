// Shared test setup: the built-in packs read from rules/, and a judge in the example context.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packsFromDir } from "../src/rules/disk.ts";
import { buildRuleSet } from "../src/config/ruleset.ts";
import { evaluate, makeEngine } from "../src/core/evaluate.ts";
import { EXAMPLE_CONTEXT } from "../src/rules/examples.ts";
import type { Context, Verdict } from "../src/core/types.ts";

export const RULES_DIR = fileURLToPath(new URL("../rules/", import.meta.url));
export const ROOT_DIR = fileURLToPath(new URL("..", import.meta.url));
export const PACKS = packsFromDir(RULES_DIR);
export const ENGINE = makeEngine(buildRuleSet(PACKS));
export const CTX = EXAMPLE_CONTEXT;

export function check(command: string, ctx: Partial<Context> = {}): Verdict {
  return evaluate(command, { ...CTX, ...ctx }, ENGINE);
}

export function ids(v: Verdict): string[] {
  return [...new Set(v.hits.map((h) => h.id))];
}

/** A case of the accuracy corpus (test/corpus/*.jsonl; its README has the format). */
export interface CorpusCase {
  cmd: string;
  expect: "deny" | "ask" | "block" | "pass";
  cat: string;
}

/** Every case of the accuracy corpus, file by file in name order. */
export function corpusCases(): CorpusCase[] {
  const dir = join(ROOT_DIR, "test", "corpus");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as CorpusCase),
    );
}

// The built-in packs. The build compiles rules/*.yaml ahead of time, so nothing parses YAML at run time:
// the full CLI carries them (examples included) inside its bundle; the hot path reads a small index
// (ids, decisions, reasons, and which commands each rule can apply to) and reads a rule's match from a
// second file, at its byte offset, only when a command it can apply to shows up. From source (tests), the
// packs are read from rules/ directly.
import { openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import type { Match, Pack, Rule, RuleLayout } from "../judge/rule.ts";

declare const __GUARD_PACKS__: string | undefined;
declare const __GUARD_RULE_FILES__: boolean | undefined;

/** Built by scripts/build.mjs: dist/rules-index.json and dist/rules-match.bin. */
export const RULE_INDEX = "rules-index.json";
export const RULE_MATCHES = "rules-match.bin";
export const RULE_LAYOUT = "rules-layout.json";
/** Built by scripts/build.mjs and bundled (then removed): the rules' path globs as regular expressions. */
export const PATH_GLOBS = "path-globs.json";

/** A rule in the index: its reason, safer way, escalations and match live in the match file at [at, at + len). */
export interface IndexedRule extends Omit<Rule, "match" | "reason" | "safer" | "escalate"> {
  readonly at: number;
  readonly len: number;
  readonly signal?: Match["signal"];
}

interface RuleBody {
  readonly reason: string;
  readonly safer?: string;
  readonly escalate?: Rule["escalate"];
  readonly match: Match;
}

let parsed: readonly Pack[] | undefined;
let matchFd: number | undefined;

function readBody(file: string, at: number, len: number): RuleBody {
  const buf = Buffer.alloc(len);
  // One descriptor for the whole process: a hook call reads a few dozen rules.
  matchFd ??= openSync(file, "r");
  for (let got = 0; got < len; ) {
    const n = readSync(matchFd, buf, got, len - got, at + got);
    if (n === 0) throw new Error(`${file} is shorter than its index says: rebuild guard`);
    got += n;
  }
  return JSON.parse(buf.toString("utf8")) as RuleBody;
}

/** A built-in rule whose reason, safer way, escalations and match are read on first use. */
class LazyRule {
  private body?: RuleBody;
  constructor(
    private readonly entry: IndexedRule,
    private readonly file: string,
  ) {}
  private load(): RuleBody {
    this.body ??= readBody(this.file, this.entry.at, this.entry.len);
    return this.body;
  }
  get id(): string {
    return this.entry.id;
  }
  get pack(): string {
    return this.entry.pack;
  }
  get decision(): Rule["decision"] {
    return this.entry.decision;
  }
  get enabled(): boolean | undefined {
    return this.entry.enabled;
  }
  get scope(): Rule["scope"] {
    return this.entry.scope;
  }
  get match(): Match {
    return this.entry.signal ? { signal: this.entry.signal } : this.load().match;
  }
  get reason(): string {
    return this.load().reason;
  }
  get safer(): string | undefined {
    return this.load().safer;
  }
  get escalate(): Rule["escalate"] {
    return this.load().escalate;
  }
}

function hydrate(r: IndexedRule, file: string): Rule {
  return new LazyRule(r, file) as unknown as Rule;
}

function fromFiles(dir: string): readonly Pack[] {
  const index = JSON.parse(readFileSync(join(dir, RULE_INDEX), "utf8")) as (Omit<Pack, "rules"> & { rules: IndexedRule[] })[];
  const file = join(dir, RULE_MATCHES);
  return index.map((p) => ({ ...p, rules: p.rules.map((r) => hydrate(r, file)) }));
}

export function compiledPacks(): readonly Pack[] | undefined {
  if (parsed) return parsed;
  if (typeof __GUARD_RULE_FILES__ !== "undefined" && __GUARD_RULE_FILES__) parsed = fromFiles(__dirname);
  else if (typeof __GUARD_PACKS__ !== "undefined") parsed = JSON.parse(__GUARD_PACKS__) as readonly Pack[];
  return parsed;
}

/** The build's index of the built-in rules, valid for buildRuleSet(compiledPacks()) with no config. */
export function compiledLayout(): RuleLayout | undefined {
  if (typeof __GUARD_RULE_FILES__ === "undefined" || !__GUARD_RULE_FILES__) return undefined;
  try {
    return JSON.parse(readFileSync(join(__dirname, RULE_LAYOUT), "utf8")) as RuleLayout;
  } catch {
    return undefined;
  }
}

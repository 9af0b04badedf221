// The built-in packs. The build compiles rules/*.yaml into the bundle (no YAML parsing at run time);
// from source (tests), they are read from rules/ directly.
import type { Match, Pack, Rule } from "../judge/rule.ts";

declare const __GUARD_PACKS__: string | undefined;

let parsed: readonly Pack[] | undefined;

/** A lean rule from the hot-path build: its match stays a JSON string until first needed. */
interface LeanRule extends Omit<Rule, "match"> {
  readonly matchJson?: string;
  readonly signal?: Match["signal"];
  readonly match?: Match;
}

function hydrate(r: LeanRule): Rule {
  if (r.matchJson === undefined) return r as Rule;
  const { matchJson, signal, ...rest } = r;
  let match: Match | undefined;
  const rule = { ...rest } as Rule;
  Object.defineProperty(rule, "match", {
    enumerable: true,
    get: () => (match ??= signal ? { signal } : (JSON.parse(matchJson) as Match)),
  });
  return rule;
}

export function compiledPacks(): readonly Pack[] | undefined {
  if (typeof __GUARD_PACKS__ === "undefined") return undefined;
  parsed ??= (JSON.parse(__GUARD_PACKS__) as (Omit<Pack, "rules"> & { rules: LeanRule[] })[]).map((p) => ({ ...p, rules: p.rules.map(hydrate) }));
  return parsed;
}

// The built-in packs. The build compiles rules/*.yaml into the bundle (no YAML parsing at run time);
// from source (tests), they are read from rules/ directly.
import type { Pack } from "../judge/rule.ts";

declare const __GUARD_PACKS__: string | undefined;

let parsed: readonly Pack[] | undefined;

export function compiledPacks(): readonly Pack[] | undefined {
  if (typeof __GUARD_PACKS__ === "undefined") return undefined;
  parsed ??= JSON.parse(__GUARD_PACKS__) as readonly Pack[];
  return parsed;
}

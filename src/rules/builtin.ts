// The built-in packs. The build compiles rules/*.yaml into the bundle (no YAML parsing at run time);
// from source (tests), they are read from rules/ directly.
import type { Pack } from "../judge/rule.ts";

declare const __GUARD_PACKS__: readonly Pack[] | undefined;

export function compiledPacks(): readonly Pack[] | undefined {
  return typeof __GUARD_PACKS__ === "undefined" ? undefined : __GUARD_PACKS__;
}

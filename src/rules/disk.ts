// Reads the built-in packs from rules/*.yaml (the build and the tests use this; the bundle does not).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Pack } from "../judge/rule.ts";
import { loadPack } from "./load.ts";

export function packsFromDir(dir: string): Pack[] {
  const seen = new Map<string, string>();
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => loadPack(join("rules", f), readFileSync(join(dir, f), "utf8"), seen));
}

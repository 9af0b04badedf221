// The decoy index for the hook's hot path: one small JSON read, nothing else loaded.
import { readFileSync } from "node:fs";
import { indexOf, readInventory } from "./inventory.ts";
import { canaryPaths } from "./paths.ts";
import type { DecoyIndex } from "./types.ts";

/**
 * Every decoy path and token; empty when nothing is planted. One small JSON read. A damaged index
 * (it is written atomically, so only by hand) falls back to the inventory rather than to nothing.
 */
export function loadDecoyIndex(env: NodeJS.ProcessEnv = process.env): DecoyIndex {
  const file = canaryPaths(env).index;
  try {
    const v = JSON.parse(readFileSync(file, "utf8")) as Partial<DecoyIndex>;
    const strings = (a: unknown) =>
      Array.isArray(a) ? a.filter((s): s is string => typeof s === "string" && s.length > 0) : [];
    if (!Array.isArray(v.paths) || !Array.isArray(v.tokens)) throw new Error("not an index");
    return { paths: strings(v.paths), tokens: strings(v.tokens) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { paths: [], tokens: [] };
    try {
      return indexOf(readInventory(env));
    } catch {
      return { paths: [], tokens: [] };
    }
  }
}

// Reads and writes the inventory, and the small index the hook reads on every call.
import { readFileSync } from "node:fs";
import { canaryPaths, ensureDir, writeAtomic } from "./paths.ts";
import { EMPTY_INVENTORY, type Decoy, type DecoyIndex, type Inventory } from "./types.ts";

export class InventoryError extends Error {}

/** The inventory; empty when nothing is planted. Throws InventoryError when the file is unreadable or corrupt. */
export function readInventory(env: NodeJS.ProcessEnv = process.env): Inventory {
  const file = canaryPaths(env).inventory;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return EMPTY_INVENTORY;
    throw new InventoryError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    const v = JSON.parse(text) as Partial<Inventory>;
    if (v.version !== 1 || !Array.isArray(v.decoys) || !Array.isArray(v.dirs))
      throw new Error("not a version 1 inventory");
    return { version: 1, guard: Array.isArray(v.guard) ? v.guard : [], decoys: v.decoys, dirs: v.dirs };
  } catch (e) {
    throw new InventoryError(`${file} is corrupt (${(e as Error).message}); fix or delete it by hand`);
  }
}

export function indexOf(inv: Inventory): DecoyIndex {
  const paths = inv.decoys.map((d) => d.path);
  const tokens = [...new Set(inv.decoys.flatMap((d) => d.tokens))];
  return { paths, tokens };
}

/** Writes the inventory and then the index. Called after every file plant creates or remove deletes. */
export function writeInventory(inv: Inventory, env: NodeJS.ProcessEnv = process.env): void {
  const p = canaryPaths(env);
  ensureDir(p.dir);
  writeAtomic(p.inventory, JSON.stringify(inv, null, 1) + "\n");
  writeAtomic(p.index, JSON.stringify(indexOf(inv)) + "\n");
}

export function findDecoy(inv: Inventory, test: (d: Decoy) => boolean): Decoy | undefined {
  return inv.decoys.find(test);
}

// Removes what plant created, and only that: a file is deleted only while it is provably the
// file plant wrote (same inode, and same times or same sha256); anything else is kept and reported.
// Directories plant created are removed only when empty. The result is the tree as it was before.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, rmdirSync, rmSync, unlinkSync } from "node:fs";
import { readInventory, writeInventory } from "./inventory.ts";
import { canaryPaths } from "./paths.ts";
import type { Decoy } from "./types.ts";

export type DecoyState = "intact" | "modified" | "replaced" | "missing";

/** Compares a decoy with what plant recorded, from metadata only (never opens the file). */
export function decoyState(d: Decoy): DecoyState {
  let st;
  try {
    st = lstatSync(d.path, { bigint: true });
  } catch {
    return "missing";
  }
  if (!st.isFile() || Number(st.ino) !== d.ino || Number(st.dev) !== d.dev) return "replaced";
  if (Number(st.size) !== d.size || String(st.mtimeNs) !== d.mtimeNs || String(st.ctimeNs) !== d.ctimeNs)
    return "modified";
  return "intact";
}

function isEmptyFile(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && st.size === 0;
  } catch {
    return false;
  }
}

function sameContent(d: Decoy): boolean {
  try {
    return createHash("sha256").update(readFileSync(d.path)).digest("hex") === d.sha256;
  } catch {
    return false;
  }
}

function keptReason(d: Decoy, state: DecoyState): string {
  if (d.pending)
    return "plant was interrupted before it recorded this file, and its content is not guard's: kept";
  return state === "replaced"
    ? "replaced by another file since it was planted: kept"
    : "edited since it was planted: kept";
}

export interface RemoveResult {
  readonly removed: string[];
  readonly kept: { readonly path: string; readonly reason: string }[];
  readonly missing: string[];
  readonly dirsRemoved: string[];
  readonly dirsKept: { readonly path: string; readonly reason: string }[];
}

/** Call with the watcher stopped: a metadata change (atime re-arm, chmod) makes remove read the file to hash it. */
export function removeDecoys(env: NodeJS.ProcessEnv = process.env): RemoveResult {
  const inv = readInventory(env);
  const result: RemoveResult = { removed: [], kept: [], missing: [], dirsRemoved: [], dirsKept: [] };
  let decoys = [...inv.decoys];
  let dirs = [...inv.dirs];
  const save = () => writeInventory({ ...inv, decoys, dirs }, env);
  for (const d of [...inv.decoys].reverse()) {
    const state = decoyState(d);
    // A pending entry has no inode yet (plant stopped between recording it and writing it): it is
    // guard's if it holds guard's bytes, or none at all (plant created it, then stopped before writing).
    const ours = d.pending
      ? state !== "missing" && (isEmptyFile(d.path) || sameContent(d))
      : state === "intact" || (state === "modified" && sameContent(d));
    if (state === "missing") result.missing.push(d.path);
    else if (!ours) result.kept.push({ path: d.path, reason: keptReason(d, state) });
    else {
      try {
        unlinkSync(d.path);
        result.removed.push(d.path);
      } catch (e) {
        result.kept.push({ path: d.path, reason: `cannot delete: ${(e as Error).message}` });
      }
    }
    decoys = decoys.filter((x) => x !== d);
    save();
  }
  for (const dir of [...inv.dirs].reverse()) {
    try {
      rmdirSync(dir);
      result.dirsRemoved.push(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT")
        result.dirsKept.push({
          path: dir,
          reason: code === "ENOTEMPTY" || code === "EEXIST" ? "not empty (kept)" : (e as Error).message,
        });
    }
    dirs = dirs.filter((x) => x !== dir);
    save();
  }
  const p = canaryPaths(env);
  rmSync(p.inventory, { force: true });
  rmSync(p.index, { force: true });
  return result;
}

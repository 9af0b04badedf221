// Counts what lies under a path without changing anything: lstat and readdir only, symlinks not
// followed (rm does not follow them either), stopping at the budget and saying so.
import { lstatSync, readdirSync } from "node:fs";
import picomatch from "picomatch";
import { overBudget, type Budget } from "./effect.ts";

export interface Tally {
  readonly exists: boolean;
  readonly kind: "directory" | "file" | "symlink" | "other" | "missing";
  /** Everything but directories. */
  files: number;
  dirs: number;
  bytes: number;
  /** False when the walk stopped early: the numbers are then a lower bound. */
  complete: boolean;
  /** Directories that could not be read. */
  unreadable: number;
}

function kindOf(st: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }): Tally["kind"] {
  return st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : st.isFile() ? "file" : "other";
}

export function tally(path: string, budget: Budget): Tally {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return { exists: false, kind: "missing", files: 0, dirs: 0, bytes: 0, complete: true, unreadable: 0 };
  }
  const t: Tally = {
    exists: true,
    kind: kindOf(st),
    files: 0,
    dirs: 0,
    bytes: 0,
    complete: true,
    unreadable: 0,
  };
  if (!st.isDirectory()) {
    t.files = 1;
    t.bytes = st.isFile() ? st.size : 0;
    return t;
  }
  const stack = [path];
  walk: while (stack.length) {
    if (overBudget(budget)) {
      t.complete = false;
      break;
    }
    const dir = stack.pop() as string;
    t.dirs++;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      t.unreadable++;
      continue;
    }
    for (const [i, e] of entries.entries()) {
      if (--budget.entries < 0 || (i % 1024 === 1023 && overBudget(budget))) {
        t.complete = false;
        break walk;
      }
      const p = dir === "/" ? `/${e.name}` : `${dir}/${e.name}`;
      if (e.isDirectory()) stack.push(p);
      else {
        t.files++;
        if (e.isFile()) {
          try {
            t.bytes += lstatSync(p).size;
          } catch {
            // vanished meanwhile
          }
        }
      }
    }
  }
  return t;
}

/** Expands a shell glob over absolute path `pattern` like bash does (no dotfiles unless the pattern names them). */
export function expandGlob(
  pattern: string,
  budget: Budget,
  limit = 1000,
): { paths: string[]; complete: boolean } {
  const segments = pattern.split("/").filter(Boolean);
  let current = ["/"];
  let complete = true;
  for (const seg of segments) {
    const next: string[] = [];
    const magic = /[*?[{]/.test(seg);
    const isMatch = magic ? picomatch(seg, { dot: seg.startsWith(".") }) : undefined;
    for (const base of current) {
      if (!isMatch) {
        next.push(base === "/" ? `/${seg}` : `${base}/${seg}`);
        continue;
      }
      if (overBudget(budget)) {
        complete = false;
        break;
      }
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      budget.entries -= names.length;
      for (const n of names.sort()) if (isMatch(n)) next.push(base === "/" ? `/${n}` : `${base}/${n}`);
    }
    if (next.length > limit) {
      complete = false;
      next.length = limit;
    }
    current = next;
  }
  const paths = current.filter((p) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  });
  return { paths, complete };
}

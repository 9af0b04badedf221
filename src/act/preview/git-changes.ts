// What uncommitted work a git command would overwrite: `git diff --numstat` per file, read-only.
import type { Effect } from "./effect.ts";
import { clip, count } from "./format.ts";
import type { Git } from "./gitrun.ts";

export interface Changes {
  readonly files: number;
  readonly added: number;
  readonly deleted: number;
  readonly lines: string[];
}

/** Uncommitted changes `git diff <args>` reports, per file. */
export function changes(git: Git, diffArgs: readonly string[]): Changes | undefined {
  const out = git.run(["diff", "--numstat", "--no-ext-diff", "--no-textconv", "--no-renames", ...diffArgs]);
  if (out === undefined) return undefined;
  const rows = out.split("\n").filter(Boolean);
  let added = 0;
  let deleted = 0;
  const lines: string[] = [];
  for (const row of rows) {
    const [a = "-", d = "-", ...path] = row.split("\t");
    added += Number(a) || 0;
    deleted += Number(d) || 0;
    if (lines.length < 12)
      lines.push(`  ${clip(path.join("\t"), 90)}  ${a === "-" ? "binary" : `+${a} -${d}`}`);
  }
  if (rows.length > 12) lines.push(`  … and ${count(rows.length - 12, "more file")}`);
  return { files: rows.length, added, deleted, lines };
}

export function changesEffect(
  title: string,
  c: Changes | undefined,
  what: string,
  extra: string[] = [],
): Effect {
  if (!c)
    return {
      title,
      lines: ["git could not list the changes"],
      scope: "unknown",
      reversibility: "unknown",
      undo: "unknown",
      coupling: "your working tree",
    };
  const lines = c.files ? [`${what}:`, ...c.lines] : [`no ${what}`];
  return {
    title,
    lines: [...lines, ...extra],
    scope: c.files
      ? `${count(c.files, "file")} with uncommitted changes (+${c.added} -${c.deleted} lines)`
      : "no uncommitted changes",
    reversibility: c.files ? "irreversible" : extra.length ? "recoverable" : "reversible",
    undo: c.files
      ? "uncommitted changes are in no commit: git cannot bring them back"
      : extra.length
        ? "the commits stay in the reflog for a while"
        : "nothing would be lost",
    coupling: "your working tree only: nothing is pushed",
  };
}

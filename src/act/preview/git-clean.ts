// git clean -f: the untracked (and with -x, ignored) files it would delete, from `git clean --dry-run`.
import type { Budget, Effect } from "./effect.ts";
import { bytes, clip, count } from "./format.ts";
import { operands, hasFlag, type GitCall } from "./gitargs.ts";
import type { Git } from "./gitrun.ts";
import { tally } from "./walk.ts";

export function gitClean(git: Git, call: GitCall, title: string, budget: Budget): Effect | undefined {
  if (!hasFlag(call.args, "f", "--force") || hasFlag(call.args, "n", "--dry-run")) return undefined;
  const keep: string[] = [];
  for (let i = 0; i < call.args.length; i++) {
    const a = call.args[i] as string;
    if (a === "--") break;
    if (a === "-e" || a === "--exclude") keep.push(a, call.args[++i] ?? "");
    else if (a.startsWith("--exclude=")) keep.push(a);
    else if (/^-[A-Za-z]+$/.test(a)) for (const f of a.slice(1)) if ("dxX".includes(f)) keep.push(`-${f}`);
  }
  const { before, after } = operands(call.args, ["-e", "--exclude"]);
  const out = git.run(["clean", "--dry-run", ...keep, "--", ...(after ?? before)]);
  if (out === undefined)
    return {
      title,
      lines: ["git could not list what clean would remove"],
      scope: "unknown",
      reversibility: "irreversible",
      undo: "untracked files are not in git",
      coupling: "your working tree",
    };
  const paths = out
    .split("\n")
    .filter((l) => l.startsWith("Would remove "))
    .map((l) => l.slice(13));
  let files = 0;
  let total = 0;
  let complete = true;
  const lines = paths.length ? ["untracked files that would be deleted:"] : ["no untracked files to delete"];
  paths.forEach((p, i) => {
    const t = tally(`${call.cwd}/${p}`, budget);
    files += t.files;
    total += t.bytes;
    complete &&= t.complete;
    if (i < 12)
      lines.push(
        `  ${clip(p, 90)}  ${t.kind === "directory" ? `${count(t.files, "file")}, ` : ""}${bytes(t.bytes)}`,
      );
  });
  if (paths.length > 12) lines.push(`  … and ${count(paths.length - 12, "more path")}`);
  const ignored = keep.includes("-x") || keep.includes("-X");
  return {
    title,
    lines,
    scope: paths.length
      ? `${complete ? "" : "at least "}${count(files, "file")}, ${bytes(total)}`
      : "nothing",
    reversibility: paths.length ? "irreversible" : "reversible",
    undo: "untracked files are in no commit: git cannot bring them back",
    coupling: ignored
      ? "ignored files too: local settings (.env), build outputs, local databases"
      : "untracked files in your working tree: work not yet added",
  };
}

// git branch -D: the commits on the deleted branches that no other branch or remote-tracking ref has.
import type { Effect } from "./effect.ts";
import { clip, count } from "./format.ts";
import { hasFlag, operands, type GitCall } from "./gitargs.ts";
import type { Git } from "./gitrun.ts";

export function gitBranchDelete(git: Git, call: GitCall, title: string): Effect | undefined {
  if (
    !hasFlag(call.args, "D") &&
    !(hasFlag(call.args, "d", "--delete") && hasFlag(call.args, "f", "--force"))
  )
    return undefined;
  const names = operands(call.args).before;
  const lines: string[] = [];
  let lost = 0;
  for (const name of names) {
    const n = Number(
      git.run([
        "rev-list",
        "--count",
        `refs/heads/${name}`,
        "--not",
        `--exclude=${name}`,
        "--branches",
        "--remotes",
      ]) ?? "NaN",
    );
    if (Number.isNaN(n)) lines.push(`${name}: no such branch`);
    else {
      lost += n;
      lines.push(`${name}: ${count(n, "commit")} on no other branch${n ? ":" : ""}`);
      for (const l of (
        git.run([
          "log",
          "--oneline",
          "--no-decorate",
          "-n",
          "5",
          `refs/heads/${name}`,
          "--not",
          `--exclude=${name}`,
          "--branches",
          "--remotes",
        ]) ?? ""
      )
        .split("\n")
        .filter(Boolean))
        lines.push(`  ${clip(l, 90)}`);
    }
  }
  return {
    title,
    lines,
    scope: lost ? count(lost, "commit") + " only on these branches" : "no commits only on these branches",
    reversibility: lost ? "recoverable" : "reversible",
    undo: "the commits stay in the reflog for a while",
    coupling: "your local repository only",
  };
}

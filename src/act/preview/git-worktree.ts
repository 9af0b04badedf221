// git commands that discard local work: reset --hard, checkout/restore of paths, clean -f, branch -D.
// Each shows exactly what would be lost, from read-only git queries.
import type { Context, Invocation } from "../../core/types.ts";
import { unknownEffect, type Budget, type Effect } from "./effect.ts";
import { clip, count } from "./format.ts";
import { gitBranchDelete } from "./git-branch.ts";
import { changes, changesEffect } from "./git-changes.ts";
import { gitClean } from "./git-clean.ts";
import { hasFlag, operands, parseGit, type GitCall } from "./gitargs.ts";
import { openGit, type Git } from "./gitrun.ts";

function isCommit(git: Git, rev: string): boolean {
  return git.run(["rev-parse", "--verify", "-q", `${rev}^{commit}`]) !== undefined;
}

function resetHard(git: Git, call: GitCall, title: string): Effect | undefined {
  if (!hasFlag(call.args, "", "--hard")) return undefined;
  const target = operands(call.args).before[0];
  const extra: string[] = [];
  if (target && target !== "HEAD" && isCommit(git, target)) {
    const n = Number(git.run(["rev-list", "--count", `${target}..HEAD`]) ?? "0");
    if (n) {
      extra.push(`${count(n, "commit")} would leave the current branch (still in the reflog):`);
      for (const l of (git.run(["log", "--oneline", "--no-decorate", "-n", "5", `${target}..HEAD`]) ?? "")
        .split("\n")
        .filter(Boolean))
        extra.push(`  ${clip(l, 90)}`);
    }
  }
  return changesEffect(title, changes(git, ["HEAD"]), "uncommitted changes that would be discarded", extra);
}

function checkout(git: Git, call: GitCall, title: string): Effect | undefined {
  const { before, after } = operands(call.args, [
    "-b",
    "-B",
    "--orphan",
    "--conflict",
    "--pathspec-from-file",
  ]);
  const force = hasFlag(call.args, "f", "--force");
  let tree: string | undefined;
  let paths: string[];
  if (after) {
    tree = before[0];
    paths = after;
  } else if (before.length && isCommit(git, before[0] as string)) {
    tree = before[0];
    paths = before.slice(1);
  } else paths = before;
  if (!paths.length)
    return force
      ? changesEffect(title, changes(git, ["HEAD"]), "uncommitted changes that would be discarded")
      : undefined;
  return changesEffect(
    title,
    changes(git, tree ? [tree, "--", ...paths] : ["--", ...paths]),
    "unstaged changes that would be overwritten",
  );
}

function restore(git: Git, call: GitCall, title: string): Effect | undefined {
  const staged = hasFlag(call.args, "S", "--staged");
  const worktree = hasFlag(call.args, "W", "--worktree") || !staged;
  if (!worktree) return undefined;
  const source =
    call.args.find((a) => a.startsWith("--source="))?.slice(9) ??
    (call.args.includes("-s") ? call.args[call.args.indexOf("-s") + 1] : undefined);
  const { before, after } = operands(call.args, ["-s", "--source"]);
  const paths = after ?? before;
  const base = source ?? (staged ? "HEAD" : undefined);
  return changesEffect(
    title,
    changes(git, base ? [base, "--", ...paths] : ["--", ...paths]),
    "changes that would be overwritten",
  );
}

export function gitWorktreePreview(
  inv: Invocation,
  ctx: Context,
  budget: Budget,
  env: NodeJS.ProcessEnv,
): Effect | undefined {
  const call = parseGit(inv, ctx.home);
  if (!call || !["reset", "checkout", "restore", "clean", "branch"].includes(call.sub)) return undefined;
  const title = clip(inv.argv.map((a) => a.text).join(" "), 100);
  const git = openGit(call.cwd, env);
  if (typeof git === "string") return unknownEffect(title, git, "your working tree");
  switch (call.sub) {
    case "reset":
      return resetHard(git, call, title);
    case "checkout":
      return checkout(git, call, title);
    case "restore":
      return restore(git, call, title);
    case "clean":
      return gitClean(git, call, title, budget);
    default:
      return gitBranchDelete(git, call, title);
  }
}

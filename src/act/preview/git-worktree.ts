// git commands that discard local work: reset --hard, checkout/restore of paths, clean -f, branch -D.
// Each shows exactly what would be lost, from read-only git queries.
import type { Context, Invocation } from "../../core/types.ts";
import type { Budget, Effect } from "./effect.ts";
import { bytes, clip, count } from "./format.ts";
import { hasFlag, operands, parseGit, type GitCall } from "./gitargs.ts";
import { openGit, type Git } from "./gitrun.ts";
import { tally } from "./walk.ts";

interface Changes {
  readonly files: number;
  readonly added: number;
  readonly deleted: number;
  readonly lines: string[];
}

/** Uncommitted changes `git diff <args>` reports, per file. */
function changes(git: Git, diffArgs: readonly string[]): Changes | undefined {
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
    if (lines.length < 12) lines.push(`  ${clip(path.join("\t"), 90)}  ${a === "-" ? "binary" : `+${a} -${d}`}`);
  }
  if (rows.length > 12) lines.push(`  … and ${count(rows.length - 12, "more file")}`);
  return { files: rows.length, added, deleted, lines };
}

function changesEffect(title: string, c: Changes | undefined, what: string, extra: string[] = []): Effect {
  if (!c) return { title, lines: ["git could not list the changes"], scope: "unknown", reversibility: "unknown", undo: "unknown", coupling: "your working tree" };
  const lines = c.files ? [`${what}:`, ...c.lines] : [`no ${what}`];
  return {
    title,
    lines: [...lines, ...extra],
    scope: c.files ? `${count(c.files, "file")} with uncommitted changes (+${c.added} -${c.deleted} lines)` : "no uncommitted changes",
    reversibility: c.files ? "irreversible" : extra.length ? "recoverable" : "reversible",
    undo: c.files ? "uncommitted changes are in no commit: git cannot bring them back" : extra.length ? "the commits stay in the reflog for a while" : "nothing would be lost",
    coupling: "your working tree only: nothing is pushed",
  };
}

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
      for (const l of (git.run(["log", "--oneline", "--no-decorate", "-n", "5", `${target}..HEAD`]) ?? "").split("\n").filter(Boolean)) extra.push(`  ${clip(l, 90)}`);
    }
  }
  return changesEffect(title, changes(git, ["HEAD"]), "uncommitted changes that would be discarded", extra);
}

function checkout(git: Git, call: GitCall, title: string): Effect | undefined {
  const { before, after } = operands(call.args, ["-b", "-B", "--orphan", "--conflict", "--pathspec-from-file"]);
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
  if (!paths.length) return force ? changesEffect(title, changes(git, ["HEAD"]), "uncommitted changes that would be discarded") : undefined;
  return changesEffect(title, changes(git, tree ? [tree, "--", ...paths] : ["--", ...paths]), "unstaged changes that would be overwritten");
}

function restore(git: Git, call: GitCall, title: string): Effect | undefined {
  const staged = hasFlag(call.args, "S", "--staged");
  const worktree = hasFlag(call.args, "W", "--worktree") || !staged;
  if (!worktree) return undefined;
  const source = call.args.find((a) => a.startsWith("--source="))?.slice(9) ?? (call.args.includes("-s") ? call.args[call.args.indexOf("-s") + 1] : undefined);
  const { before, after } = operands(call.args, ["-s", "--source"]);
  const paths = after ?? before;
  const base = source ?? (staged ? "HEAD" : undefined);
  return changesEffect(title, changes(git, base ? [base, "--", ...paths] : ["--", ...paths]), "changes that would be overwritten");
}

function clean(git: Git, call: GitCall, title: string, budget: Budget): Effect | undefined {
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
  if (out === undefined) return { title, lines: ["git could not list what clean would remove"], scope: "unknown", reversibility: "irreversible", undo: "untracked files are not in git", coupling: "your working tree" };
  const paths = out.split("\n").filter((l) => l.startsWith("Would remove ")).map((l) => l.slice(13));
  let files = 0;
  let total = 0;
  let complete = true;
  const lines = paths.length ? ["untracked files that would be deleted:"] : ["no untracked files to delete"];
  paths.forEach((p, i) => {
    const t = tally(`${call.cwd}/${p}`, budget);
    files += t.files;
    total += t.bytes;
    complete &&= t.complete;
    if (i < 12) lines.push(`  ${clip(p, 90)}  ${t.kind === "directory" ? `${count(t.files, "file")}, ` : ""}${bytes(t.bytes)}`);
  });
  if (paths.length > 12) lines.push(`  … and ${count(paths.length - 12, "more path")}`);
  const ignored = keep.includes("-x") || keep.includes("-X");
  return {
    title,
    lines,
    scope: paths.length ? `${complete ? "" : "at least "}${count(files, "file")}, ${bytes(total)}` : "nothing",
    reversibility: paths.length ? "irreversible" : "reversible",
    undo: "untracked files are in no commit: git cannot bring them back",
    coupling: ignored ? "ignored files too: local settings (.env), build outputs, local databases" : "untracked files in your working tree: work not yet added",
  };
}

function branchDelete(git: Git, call: GitCall, title: string): Effect | undefined {
  if (!hasFlag(call.args, "D") && !(hasFlag(call.args, "d", "--delete") && hasFlag(call.args, "f", "--force"))) return undefined;
  const names = operands(call.args).before;
  const lines: string[] = [];
  let lost = 0;
  for (const name of names) {
    const n = Number(git.run(["rev-list", "--count", `refs/heads/${name}`, "--not", `--exclude=${name}`, "--branches", "--remotes"]) ?? "NaN");
    if (Number.isNaN(n)) lines.push(`${name}: no such branch`);
    else {
      lost += n;
      lines.push(`${name}: ${count(n, "commit")} on no other branch${n ? ":" : ""}`);
      for (const l of (git.run(["log", "--oneline", "--no-decorate", "-n", "5", `refs/heads/${name}`, "--not", `--exclude=${name}`, "--branches", "--remotes"]) ?? "").split("\n").filter(Boolean)) lines.push(`  ${clip(l, 90)}`);
    }
  }
  return { title, lines, scope: lost ? count(lost, "commit") + " only on these branches" : "no commits only on these branches", reversibility: lost ? "recoverable" : "reversible", undo: "the commits stay in the reflog for a while", coupling: "your local repository only" };
}

export function gitWorktreePreview(inv: Invocation, ctx: Context, budget: Budget, env: NodeJS.ProcessEnv): Effect | undefined {
  const call = parseGit(inv, ctx.home);
  if (!call || !["reset", "checkout", "restore", "clean", "branch"].includes(call.sub)) return undefined;
  const title = clip(inv.argv.map((a) => a.text).join(" "), 100);
  const git = openGit(call.cwd, env);
  if (typeof git === "string") return { title, lines: [`no preview: ${git}`], scope: "unknown", reversibility: "unknown", undo: "unknown", coupling: "your working tree" };
  switch (call.sub) {
    case "reset":
      return resetHard(git, call, title);
    case "checkout":
      return checkout(git, call, title);
    case "restore":
      return restore(git, call, title);
    case "clean":
      return clean(git, call, title, budget);
    default:
      return branchDelete(git, call, title);
  }
}

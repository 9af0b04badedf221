// Force-pushes and remote branch deletions: the remote commits that would be dropped, as of the last
// fetch (guard does not contact the remote: that would be a side effect and could hang).
import { statSync } from "node:fs";
import type { Context, Invocation } from "../../core/types.ts";
import { unknownEffect, type Effect } from "./effect.ts";
import { clip, count } from "./format.ts";
import { hasFlag, operands, parseGit } from "./gitargs.ts";
import { openGit, type Git } from "./gitrun.ts";

const VALUED = ["--repo", "--receive-pack", "--exec", "-o", "--push-option"];

function ago(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return count(m, "minute") + " ago";
  const h = Math.round(m / 60);
  return h < 48 ? count(h, "hour") + " ago" : count(Math.round(h / 24), "day") + " ago";
}

function lastFetch(git: Git): string {
  const dir = git.run(["rev-parse", "--absolute-git-dir"])?.trim();
  try {
    return dir ? `last fetched ${ago(Date.now() - statSync(`${dir}/FETCH_HEAD`).mtimeMs)}` : "never fetched";
  } catch {
    return "never fetched";
  }
}

function config(git: Git, key: string): string | undefined {
  return git.run(["config", "--get", key])?.trim() || undefined;
}

interface Update {
  readonly src: string | undefined;
  readonly dst: string;
  readonly force: boolean;
}

function updates(
  git: Git,
  args: readonly string[],
  current: string | undefined,
  force: boolean,
  del: boolean,
): Update[] {
  const refspecs = operands(args, VALUED).before.slice(1);
  if (!refspecs.length) {
    if (!current) return [];
    const merge = config(git, `branch.${current}.merge`)?.replace(/^refs\/heads\//, "") ?? current;
    return [{ src: current, dst: merge, force }];
  }
  return refspecs.map((spec) => {
    const plus = spec.startsWith("+");
    const s = plus ? spec.slice(1) : spec;
    const colon = s.indexOf(":");
    let src: string | undefined = colon < 0 ? s : s.slice(0, colon) || undefined;
    const dst = (colon < 0 ? s : s.slice(colon + 1)).replace(/^refs\/heads\//, "");
    if (src === "HEAD" && current) src = current;
    return {
      src: del ? undefined : src,
      dst: dst === "HEAD" && current ? current : dst,
      force: force || plus,
    };
  });
}

export function gitPushPreview(inv: Invocation, ctx: Context, env: NodeJS.ProcessEnv): Effect | undefined {
  const call = parseGit(inv, ctx.home);
  if (!call || call.sub !== "push") return undefined;
  const force = hasFlag(call.args, "f", "--force", "--force-with-lease", "--force-if-includes", "--mirror");
  const del = hasFlag(call.args, "d", "--delete");
  const title = clip(inv.argv.map((a) => a.text).join(" "), 100);
  const git = openGit(call.cwd, env);
  if (typeof git === "string") return unknownEffect(title, git, "everyone who uses the remote branch");
  const current = git.run(["symbolic-ref", "--short", "-q", "HEAD"])?.trim() || undefined;
  const remote =
    operands(call.args, VALUED).before[0] ??
    (current &&
      (config(git, `branch.${current}.pushRemote`) ??
        config(git, "remote.pushDefault") ??
        config(git, `branch.${current}.remote`))) ??
    "origin";
  const list = updates(git, call.args, current, force, del).filter((u) => u.force || u.src === undefined);
  if (!list.length && !hasFlag(call.args, "", "--mirror", "--all")) return undefined;
  const lines: string[] = [`remote ${remote} (${lastFetch(git)})`];
  let dropped = 0;
  let unknown = 0;
  for (const u of list) {
    const remoteRef = `refs/remotes/${remote}/${u.dst}`;
    if (git.run(["rev-parse", "--verify", "-q", remoteRef]) === undefined) {
      unknown++;
      lines.push(`${remote}/${u.dst}: guard has no copy of it (not fetched, or a new branch)`);
      continue;
    }
    const spec = u.src ? `${u.src}..${remoteRef}` : remoteRef;
    const n = Number(git.run(["rev-list", "--count", spec]) ?? "NaN");
    if (Number.isNaN(n)) {
      unknown++;
      lines.push(`${remote}/${u.dst}: git could not compare it with ${u.src ?? "nothing"}`);
      continue;
    }
    dropped += n;
    lines.push(
      u.src
        ? `${remote}/${u.dst}: ${count(n, "commit")} that ${u.src} does not have would be dropped${n ? ":" : ""}`
        : `${remote}/${u.dst}: the branch would be deleted (${count(n, "commit")} on it)`,
    );
    for (const l of (git.run(["log", "--oneline", "--no-decorate", "-n", "8", spec]) ?? "")
      .split("\n")
      .filter(Boolean))
      lines.push(`  ${clip(l, 90)}`);
  }
  if (hasFlag(call.args, "", "--mirror", "--all"))
    lines.push("every branch is pushed: guard previews only the branches named");
  return {
    title,
    lines,
    scope: unknown
      ? `${count(dropped, "commit")} known, more may be lost on branches guard has not fetched`
      : `${count(dropped, "remote commit")} dropped`,
    reversibility: dropped || unknown ? "irreversible" : "reversible",
    undo:
      dropped || unknown
        ? "only a clone that still has those commits, or the host's backups, can restore them"
        : "nothing on the remote would be lost (as of the last fetch)",
    coupling: `everyone who pulled ${remote}: their clones diverge; CI, reviews and deployments that track the branch`,
  };
}

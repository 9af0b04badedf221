// Deletions (rm, unlink, shred, find -delete, rsync --delete, rmtree and friends, which resolve to rm):
// the files and bytes under each resolved target.
import type { Arg, Context, Invocation } from "../../core/types.ts";
import { parseOptions } from "../../judge/options.ts";
import { classifyPath } from "../../judge/targets.ts";
import { resolvePath } from "../../resolve/paths.ts";
import type { TargetClass } from "../../judge/rule.ts";
import type { Budget, Effect, Reversibility } from "./effect.ts";
import { bytes, clip, count } from "./format.ts";
import { expandGlob, tally, type Tally } from "./walk.ts";

const REMOVERS = new Set(["rm", "srm", "unlink", "rmdir", "shred", "trash-put", "trash", "gio"]);
// rsync options that take a value, so that the destination is found among the rest.
const RSYNC_VALUED = `-e --rsh --exclude --include --filter -f --exclude-from --include-from --files-from
  --backup-dir --suffix --chmod --chown --rsync-path --log-file --password-file --port --timeout --bwlimit
  -T --temp-dir --partial-dir --compare-dest --copy-dest --link-dest`.split(/\s+/);

interface Targets {
  readonly args: readonly Arg[];
  readonly note?: string;
  readonly reversibility: Reversibility;
  readonly undo: string;
}

function targetsOf(inv: Invocation): Targets | undefined {
  const args = inv.argv.slice(1);
  const name = inv.name;
  if (REMOVERS.has(name)) {
    if (name === "gio" && args[0]?.value !== "trash" && args[0]?.value !== "remove") return undefined;
    const positionals = parseOptions(name === "gio" ? args.slice(1) : args, {
      valued: name === "shred" ? ["-n", "--iterations", "-s", "--size", "--random-source"] : [],
    }).positionals;
    const trash = name === "trash-put" || name === "trash" || (name === "gio" && args[0]?.value === "trash");
    if (trash)
      return {
        args: positionals,
        reversibility: "recoverable",
        undo: "moved to the trash, restorable from there",
      };
    if (name === "shred")
      return {
        args: positionals,
        reversibility: "irreversible",
        undo: "overwritten in place: no tool can restore it",
      };
    return {
      args: positionals,
      reversibility: "irreversible",
      undo: `${name} does not use a trash: only a backup or git can restore it`,
    };
  }
  if (name === "find") {
    const deletes =
      args.some((a) => a.value === "-delete") ||
      args.some(
        (a, i) =>
          /^-(exec|execdir|ok|okdir)$/.test(a.value) &&
          /(^|\/)(rm|unlink|shred)$/.test(args[i + 1]?.value ?? ""),
      );
    if (!deletes) return undefined;
    let i = 0;
    while (i < args.length && /^-([HLP]|O\d)$/.test((args[i] as Arg).value)) i++;
    if (args[i]?.value === "-D") i += 2;
    const starts: Arg[] = [];
    for (; i < args.length && !/^[-(!]/.test((args[i] as Arg).value); i++) starts.push(args[i] as Arg);
    return {
      args: starts.length ? starts : [{ value: ".", text: ".", dynamic: false, glob: false, span: inv.span }],
      note: "find's tests select part of this: these counts are an upper bound",
      reversibility: "irreversible",
      undo: "find -delete does not use a trash",
    };
  }
  if (name === "rsync" && args.some((a) => /^--(delete|del|delete-\w+|remove-source-files)$/.test(a.value))) {
    const positionals = parseOptions(args, { valued: RSYNC_VALUED }).positionals;
    const dest = positionals[positionals.length - 1];
    if (!dest || positionals.length < 2 || /^[^/]*:/.test(dest.value)) return undefined;
    return {
      args: [dest],
      note: "rsync --delete removes what the source does not have: these counts are an upper bound",
      reversibility: "irreversible",
      undo: "rsync deletes without a trash",
    };
  }
  return undefined;
}

const COUPLING: Partial<Record<TargetClass, string>> = {
  root: "the whole system: everything depends on it",
  system: "system files: the OS and installed programs depend on them",
  home: "your home directory: every program's settings and your own files",
  "home-dotdir": "configuration or credentials in your home: other programs read them",
  "home-other": "your own files, outside this project",
  cache: "a cache: tools rebuild it",
  "project-root": "the whole project",
  "project-source": "the project's own source code",
  "git-dir": "the repository's history and branches",
  project: "part of this project: builds and tests may use it",
  "tmp-root": "the temporary directory other programs are using",
  tmp: "temporary files",
  device: "a device: the data on it",
  outside: "outside this project: other programs or people may use it",
  guard: "guard's own configuration or records",
  "guard-secret": "guard's secrets",
  decoy: "a decoy credential",
};

export function deletionPreview(inv: Invocation, ctx: Context, budget: Budget): Effect | undefined {
  if (inv.remote) return undefined;
  const t = targetsOf(inv);
  if (!t) return undefined;
  const lines: string[] = [];
  const classes = new Set<TargetClass>();
  let files = 0;
  let total = 0;
  let complete = true;
  let unknown = 0;
  let missing = 0;
  const show = (label: string, tl: Tally) => {
    if (!tl.exists) {
      missing++;
      lines.push(`${label}: does not exist`);
      return;
    }
    files += tl.files;
    total += tl.bytes;
    complete &&= tl.complete;
    const what =
      tl.kind === "directory"
        ? `directory, ${count(tl.files, "file")}, ${bytes(tl.bytes)}`
        : `${tl.kind}, ${bytes(tl.bytes)}`;
    const extra = [
      tl.complete ? "" : "counting stopped early: at least this much",
      tl.unreadable ? `${count(tl.unreadable, "directory", "directories")} unreadable` : "",
    ]
      .filter(Boolean)
      .join("; ");
    lines.push(`${label}: ${what}${extra ? ` (${extra})` : ""}`);
  };
  for (const arg of t.args) {
    if (arg.dynamic) {
      unknown++;
      lines.push(`${clip(arg.text, 80)}: only known when it runs`);
      continue;
    }
    const path = resolvePath(inv.cwd, arg.value, ctx.home);
    if (path === undefined) {
      unknown++;
      lines.push(`${clip(arg.text, 80)}: relative to a directory only known when it runs`);
      continue;
    }
    classes.add(classifyPath(path, ctx));
    if (arg.glob) {
      const g = expandGlob(path, budget);
      if (!g.paths.length) lines.push(`${clip(arg.value, 80)}: matches nothing now`);
      for (const p of g.paths.slice(0, 20)) show(clip(p, 100), tally(p, budget));
      for (const p of g.paths.slice(20)) {
        const tl = tally(p, budget);
        files += tl.files;
        total += tl.bytes;
        complete &&= tl.complete;
      }
      if (g.paths.length > 20)
        lines.push(`… and ${count(g.paths.length - 20, "more match", "more matches")}`);
      complete &&= g.complete;
    } else show(clip(path, 100), tally(path, budget));
  }
  if (t.note) lines.push(t.note);
  const known = `${complete ? "" : "at least "}${count(files, "file")}, ${bytes(total)}`;
  const scope = unknown
    ? `${known} known, plus ${count(unknown, "target")} only known when it runs`
    : missing === t.args.length
      ? "nothing (no target exists)"
      : known;
  const coupling =
    [...classes].map((c) => COUPLING[c] ?? c).join("; ") || "unknown: the target is only known when it runs";
  return {
    title: clip(inv.argv.map((a) => a.text).join(" "), 100),
    lines,
    scope,
    reversibility: unknown ? "irreversible" : t.reversibility,
    undo: t.undo,
    coupling,
  };
}

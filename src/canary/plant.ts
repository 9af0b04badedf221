// Plants decoys. Never overwrites or changes anything: each file is created with O_CREAT|O_EXCL
// (which also refuses symlinks, dangling ones included), parents are created one level at a time
// and recorded, and the inventory is written before and after every file, so a crash leaves no
// file that `remove` does not know about.
import { createHash } from "node:crypto";
import { closeSync, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { configHome, stateDir } from "../config/paths.ts";
import { readInventory, writeInventory } from "./inventory.ts";
import { planKind, type PlannedFile } from "./kinds.ts";
import { loadedByTools } from "./loaded.ts";
import { DECOY_KINDS, type Decoy, type DecoyKind, type Inventory } from "./types.ts";

export interface PlantOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly kinds?: readonly DecoyKind[];
  /** Where project decoys go (default: HOME). */
  readonly dir?: string;
  /** The command that runs guard: [node, path to bin/guard]. Tripwires run it. */
  readonly guard: readonly string[];
  readonly domain?: string;
  /** Opt-in: plant docker's credential helper tripwire in a directory of the user's on PATH. */
  readonly dockerHelper?: boolean;
}

export interface Skipped {
  readonly kind: DecoyKind;
  readonly path: string;
  readonly reason: string;
}

export interface PlantResult {
  readonly planted: Decoy[];
  readonly skipped: Skipped[];
  readonly notes: string[];
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The tripwire script: runs guard with the state and config dirs fixed at plant time, whatever HOME the tool has. */
export function tripScript(guard: readonly string[], env: NodeJS.ProcessEnv): (id: string) => string {
  const vars = `XDG_STATE_HOME=${sq(dirname(stateDir(env)))} XDG_CONFIG_HOME=${sq(configHome(env))}`;
  return (id) =>
    `#!/bin/sh\nexec /usr/bin/env ${vars} ${guard.map(sq).join(" ")} canary trip ${sq(id)} "$@"\n`;
}

/** The first directory on PATH that is the user's own (under HOME, not a link): where docker finds helpers. */
function userBinDir(env: NodeJS.ProcessEnv, home: string): string | undefined {
  return (env["PATH"] ?? "").split(":").find((d) => {
    if (!d.startsWith(home + sep)) return false;
    try {
      return lstatSync(d).isDirectory();
    } catch {
      return false;
    }
  });
}

/** Why a parent directory can not be used, or undefined. Creates missing ones, recording them first. */
function prepareParents(
  path: string,
  base: string,
  inv: { dirs: string[] },
  save: () => void,
): string | undefined {
  const rel = relative(base, dirname(path));
  if (rel.startsWith("..")) return `${dirname(path)} is outside ${base}`;
  let dir = base;
  for (const part of rel ? rel.split(sep) : []) {
    dir = join(dir, part);
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      st = undefined;
    }
    if (st?.isSymbolicLink()) return `${dir} is a symlink (decoys are not planted through links)`;
    if (st && !st.isDirectory()) return `${dir} is not a directory`;
    if (st) continue;
    inv.dirs.push(dir);
    save();
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      inv.dirs.pop();
      save();
      if ((e as NodeJS.ErrnoException).code !== "EEXIST")
        return `cannot create ${dir}: ${(e as Error).message}`;
    }
  }
  return undefined;
}

type Draft = { decoys: Decoy[]; dirs: string[]; guard: readonly string[] };

function createFile(f: PlannedFile, refersTo: string[], draft: Draft, save: () => void): string | undefined {
  const sha256 = createHash("sha256").update(f.content).digest("hex");
  const size = Buffer.byteLength(f.content);
  const base = {
    id: f.id,
    kind: f.kind,
    role: f.role,
    path: f.path,
    mode: f.mode,
    sha256,
    size,
    tokens: f.tokens,
    watch: f.watch,
    ...(f.trip ? { trip: f.trip } : {}),
    ...(refersTo.length ? { refersTo } : {}),
  };
  draft.decoys.push({ ...base, dev: 0, ino: 0, ctimeNs: "", mtimeNs: "", pending: true });
  save();
  let fd: number;
  try {
    fd = openSync(f.path, "wx", f.mode);
  } catch (e) {
    draft.decoys.pop();
    save();
    const code = (e as NodeJS.ErrnoException).code;
    return code === "EEXIST"
      ? "something already exists there (left untouched)"
      : `cannot create it: ${(e as Error).message}`;
  }
  try {
    fchmodSync(fd, f.mode); // exactly this mode, whatever the umask
    writeSync(fd, f.content);
    const st = fstatSync(fd, { bigint: true });
    draft.decoys[draft.decoys.length - 1] = {
      ...base,
      dev: Number(st.dev),
      ino: Number(st.ino),
      ctimeNs: String(st.ctimeNs),
      mtimeNs: String(st.mtimeNs),
    };
  } finally {
    closeSync(fd);
  }
  save();
  return undefined;
}

export function plant(opts: PlantOptions): PlantResult {
  const env = opts.env ?? process.env;
  const home = env["HOME"];
  if (!home || home === "/") throw new Error("HOME is not set: decoys go under the user's home directory");
  const dir = opts.dir ?? home;
  const inv: Inventory = readInventory(env);
  const draft: Draft = { decoys: [...inv.decoys], dirs: [...inv.dirs], guard: opts.guard };
  const save = () =>
    writeInventory({ version: 1, guard: draft.guard, decoys: draft.decoys, dirs: draft.dirs }, env);
  const result: PlantResult = { planted: [], skipped: [], notes: [] };
  const helperDir = opts.dockerHelper ? userBinDir(env, home) : undefined;
  if (opts.dockerHelper && !helperDir)
    result.notes.push(
      "no docker credential helper planted: no directory of yours (such as ~/.local/bin) is on PATH",
    );
  const ctx = {
    home,
    dir,
    tripScript: tripScript(opts.guard, env),
    domain: opts.domain ?? "corp.internal",
    ...(helperDir ? { dockerHelperDir: helperDir } : {}),
  };
  for (const kind of opts.kinds ?? DECOY_KINDS) {
    if (inv.decoys.some((d) => d.kind === kind)) {
      result.skipped.push({
        kind,
        path: "",
        reason: `${kind} decoys are already planted (guard canary remove first to re-plant)`,
      });
      continue;
    }
    const files = planKind(kind, ctx);
    const failed = new Set<string>();
    for (const f of files) {
      const refersTo = files.filter(
        (o) => o !== f && (f.content.includes(o.path) || f.requires?.includes(o.path)),
      );
      const missing = refersTo.find((o) => failed.has(o.path));
      const reason =
        loadedByTools(f.path, home) ??
        (missing ? `it would name ${missing.path}, which was not planted` : undefined) ??
        prepareParents(f.path, f.path.startsWith(dir + sep) ? dir : home, draft, save) ??
        createFile(
          f,
          refersTo.map((o) => o.id),
          draft,
          save,
        );
      if (reason) {
        failed.add(f.path);
        result.skipped.push({ kind, path: f.path, reason });
      } else result.planted.push(draft.decoys[draft.decoys.length - 1] as Decoy);
    }
  }
  if (result.planted.some((d) => d.kind === "env") && dir !== home) {
    result.notes.push(
      `${dir} may be a repository: keep .env.production.bak out of commits (add it to .git/info/exclude yourself; guard never edits your files)`,
    );
  }
  return result;
}

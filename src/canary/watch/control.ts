// Finding, stopping and starting the watcher through its status file (pid and back end per file).
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { canaryPaths, ensureDir, writeAtomic } from "../paths.ts";
import type { Backend } from "./helper.ts";

export interface WatcherStatus {
  readonly pid: number;
  readonly started: string;
  readonly helperPid?: number;
  /** True once every back end is armed (or found unavailable). */
  readonly ready: boolean;
  readonly files: Record<string, Backend>;
  readonly errors: Record<string, string>;
  /** Decoys that were moved or deleted while watched. */
  readonly changed: Record<string, string>;
  /** Why the watcher runs a weaker back end than the lease. */
  readonly note?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  if (process.platform !== "linux") return true;
  try {
    // A recycled pid is not our watcher.
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("watch");
  } catch {
    return false;
  }
}

/** The running watcher's status, or undefined when none runs (a stale file is ignored). */
export function readWatcherStatus(env: NodeJS.ProcessEnv = process.env): WatcherStatus | undefined {
  try {
    const s = JSON.parse(readFileSync(canaryPaths(env).watcher, "utf8")) as WatcherStatus;
    return typeof s.pid === "number" && alive(s.pid) ? s : undefined;
  } catch {
    return undefined;
  }
}

export function writeWatcherStatus(s: WatcherStatus, env: NodeJS.ProcessEnv): void {
  const p = canaryPaths(env);
  ensureDir(p.dir);
  writeAtomic(p.watcher, JSON.stringify(s, null, 1) + "\n");
}

export function clearWatcherStatus(env: NodeJS.ProcessEnv): void {
  rmSync(canaryPaths(env).watcher, { force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `timeoutMs`. True when a watcher was running. */
export async function stopWatcher(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3000): Promise<boolean> {
  const s = readWatcherStatus(env);
  if (!s) return false;
  process.kill(s.pid, "SIGTERM");
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && alive(s.pid)) await sleep(50);
  if (alive(s.pid)) {
    process.kill(s.pid, "SIGKILL");
    if (s.helperPid) {
      try {
        process.kill(s.helperPid, "SIGKILL");
      } catch {
        // Already gone with its parent.
      }
    }
    clearWatcherStatus(env);
  }
  return true;
}

/** Asks a running watcher to re-read the inventory. */
export function reloadWatcher(env: NodeJS.ProcessEnv = process.env): boolean {
  const s = readWatcherStatus(env);
  if (!s) return false;
  process.kill(s.pid, "SIGHUP");
  return true;
}

/** Starts `guard canary watch` in the background and waits until it has armed its back ends. */
export async function startDetached(
  guard: readonly string[],
  env: NodeJS.ProcessEnv,
  extra: readonly string[] = [],
): Promise<WatcherStatus | undefined> {
  const [cmd, ...args] = guard;
  if (!cmd) return undefined;
  const p = canaryPaths(env);
  ensureDir(p.dir);
  const log = openSync(p.log, "a", 0o600);
  const child = spawn(cmd, [...args, "canary", "watch", ...extra], {
    detached: true,
    stdio: ["ignore", log, log],
    env,
  });
  closeSync(log);
  child.on("error", () => undefined);
  child.unref();
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const s = readWatcherStatus(env);
    if (s && s.pid === child.pid && s.ready) return s;
    if (child.exitCode !== null) return undefined;
    await sleep(50);
  }
  return readWatcherStatus(env);
}

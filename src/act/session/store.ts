// guard's small state files (approvals, lockdown, session counters): JSON under guard's XDG state
// directory, mode 0600, replaced atomically, updated under a lock so concurrent guard processes lose nothing.
/** Unique, not secret: temporary names and lock tokens need no node:crypto on the hot path. */
function nonce(): string {
  return Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, "0");
}
import { sleepSync } from "../sleep.ts";
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { stateDir } from "../../config/paths.ts";

export function stateFile(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), name);
}

/** The parsed file, undefined when it does not exist; throws when it exists but cannot be read or parsed. */
export function readState(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return JSON.parse(text) as unknown;
}

export function writeState(file: string, value: unknown): void {
  const dir = file.slice(0, file.lastIndexOf("/"));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${nonce()}`;
  writeFileSync(tmp, JSON.stringify(value, null, 1) + "\n", { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeState(file: string): void {
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

function holderIsGone(lock: string): boolean {
  try {
    const [pid, time] = readFileSync(lock, "utf8").split(" ").map(Number);
    if (pid && time) {
      if (Date.now() - time > 10_000) return true;
      try {
        process.kill(pid, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code !== "EPERM";
      }
    }
    return Date.now() - statSync(lock).mtimeMs > 10_000;
  } catch {
    return false;
  }
}

/** Runs `update` on the file's current content and writes what it returns, holding `<file>.lock`. */
export function updateState<T>(file: string, update: (current: unknown) => T): T {
  const dir = file.slice(0, file.lastIndexOf("/"));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = `${file}.lock`;
  const token = `${process.pid} ${Date.now()} ${nonce()}`;
  const start = Date.now();
  for (let delay = 1; ; delay = Math.min(delay * 2, 100)) {
    try {
      const fd = openSync(lock, "wx", 0o600);
      writeSync(fd, token);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    if (holderIsGone(lock)) removeState(lock);
    else if (Date.now() - start > 15_000)
      throw new Error(`${file} is locked by another guard process (${lock})`);
    sleepSync(delay);
  }
  try {
    let current: unknown;
    try {
      current = readState(file);
    } catch {
      current = undefined; // a damaged counter file starts over; callers that must fail closed read it themselves
    }
    const next = update(current);
    writeState(file, next);
    return next;
  } finally {
    try {
      if (readFileSync(lock, "utf8") === token) unlinkSync(lock);
    } catch {
      // already broken as stale by someone else
    }
  }
}

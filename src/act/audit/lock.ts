// A cross-process lock for the append: Node has no flock, so an O_EXCL lock file, polled with short
// sleeps, and broken when its holder is dead or has held it implausibly long.
import { sleepSync } from "../sleep.ts";
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  linkSync,
} from "node:fs";

export interface LockOptions {
  /** A lock older than this is broken even if its pid is alive (pid reuse, a hung holder). */
  readonly staleMs?: number;
  /** Give up waiting after this long. */
  readonly timeoutMs?: number;
}

const sleep = sleepSync;

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === "EPERM";
  }
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** "pid time token": the token makes each acquisition unique, so nobody removes a lock it did not judge. */
function isStale(file: string, content: string, staleMs: number): boolean {
  const [pid, time] = content.split(" ").map(Number);
  if (pid && time) return !alive(pid) || Date.now() - time > staleMs;
  // Empty: caught between its creation and first write, or its holder died right there.
  try {
    return Date.now() - statSync(file).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

function breakLock(file: string, seen: string): void {
  const aside = `${file}.broken.${process.pid}.${Math.random().toString(36).slice(2, 10)}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // already gone
  }
  if (readLock(aside) !== seen) {
    // Between reading and renaming, the stale lock was replaced by a live one: put it back. (If yet
    // another process took the free lock meanwhile, two hold it; lines still never interleave, and a
    // forked chain shows in verify.)
    try {
      linkSync(aside, file);
    } catch {
      // Someone acquired the lock meanwhile; theirs stands.
    }
  }
  unlinkSync(aside);
}

export function withLock<T>(file: string, fn: () => T, opts: LockOptions = {}): T {
  const staleMs = opts.staleMs ?? 5000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Unique, not secret: Math.random spares the hot path crypto's first-use cost.
  const nonce = Math.random().toString(36).slice(2, 10);
  const start = Date.now();
  let nextStaleCheck = start + 20;
  let delay = 0.05;
  let token: string;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(file, "wx", 0o600);
    } catch (e) {
      if (errno(e) !== "EEXIST") throw e;
    }
    if (fd !== undefined) {
      token = `${process.pid} ${Date.now()} ${nonce}`;
      try {
        writeSync(fd, token);
      } catch (e) {
        unlinkSync(file);
        throw e;
      } finally {
        closeSync(fd);
      }
      break;
    }
    const now = Date.now();
    if (now >= nextStaleCheck) {
      nextStaleCheck = now + 20;
      const content = readLock(file);
      if (content !== undefined && isStale(file, content, staleMs)) {
        breakLock(file, content);
        continue;
      }
      if (now - start > timeoutMs) {
        throw new Error(
          `the audit log is locked (${file}, held by pid ${content?.split(" ")[0] ?? "?"}) for over ${timeoutMs} ms`,
        );
      }
    }
    sleep(delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, 2);
  }
  try {
    return fn();
  } finally {
    // Remove only our own lock: if it was broken as stale, it may now be someone else's.
    if (readLock(file) === token) unlinkSync(file);
  }
}

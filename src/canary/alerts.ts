// The alert log: one JSON alert per line, appended with one O_APPEND write (concurrent writers
// never interleave), and a cursor that says how far the human has been shown it.
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { canaryPaths, ensureDir, writeAtomic } from "./paths.ts";
import type { CanaryAlert } from "./types.ts";

export function appendAlert(alert: CanaryAlert, env: NodeJS.ProcessEnv = process.env): void {
  const p = canaryPaths(env);
  ensureDir(p.dir);
  const fd = openSync(p.alerts, "a", 0o600);
  try {
    writeSync(fd, JSON.stringify(alert) + "\n");
  } finally {
    closeSync(fd);
  }
}

export interface AlertRead {
  readonly alerts: CanaryAlert[];
  /** Byte offset just past the last complete line read. */
  readonly end: number;
}

/** The alerts from byte offset `from` on; a torn last line is left for the next read. */
export function readAlerts(env: NodeJS.ProcessEnv = process.env, from = 0): AlertRead {
  let fd: number;
  try {
    fd = openSync(canaryPaths(env).alerts, "r");
  } catch {
    return { alerts: [], end: 0 };
  }
  let buf: Buffer;
  let start = from;
  try {
    const size = fstatSync(fd).size;
    if (start > size) start = 0; // the log was replaced: read it from the start
    buf = Buffer.alloc(size - start);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, start + off);
      if (n === 0) break;
      off += n;
    }
    buf = buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
  const last = buf.lastIndexOf(0x0a);
  if (last < 0) return { alerts: [], end: start };
  const alerts: CanaryAlert[] = [];
  for (const line of buf.subarray(0, last).toString("utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      alerts.push(JSON.parse(line) as CanaryAlert);
    } catch {
      // A damaged line is skipped here; the audit trail keeps the authoritative copy.
    }
  }
  return { alerts, end: start + last + 1 };
}

function readCursor(env: NodeJS.ProcessEnv): number {
  try {
    const n = Number(readFileSync(canaryPaths(env).cursor, "utf8").trim());
    return Number.isFinite(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

const lastRead = new Map<string, number>();

/** Alerts the human has not been shown yet (test alerts excluded), oldest first. */
export function pendingAlerts(env: NodeJS.ProcessEnv = process.env): CanaryAlert[] {
  const r = readAlerts(env, readCursor(env));
  lastRead.set(canaryPaths(env).alerts, r.end);
  return r.alerts.filter((a) => !a.test);
}

/** Marks as shown what the last pendingAlerts() returned (or everything, if it was not called). */
export function markAlertsShown(env: NodeJS.ProcessEnv = process.env): void {
  const p = canaryPaths(env);
  const end = lastRead.get(p.alerts) ?? readAlerts(env, readCursor(env)).end;
  if (end === 0 || end === readCursor(env)) return;
  ensureDir(p.dir);
  writeAtomic(p.cursor, `${end}\n`);
}

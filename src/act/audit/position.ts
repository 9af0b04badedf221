// Where the next entry continues the chain, read from the head under the lock. The fast path is one
// small file; the log itself is only read when it does not end where the head says it should.
import { readSync } from "node:fs";
import { readHead } from "./head.ts";
import type { AuditKey } from "./key.ts";
import type { AuditPaths } from "./paths.ts";
import { entryMac, parseRecord, type ChainPosition } from "./record.ts";

/** What guard found wrong with the log while appending; recorded as an alert entry, and failed by verify. */
export type IntegrityProblem =
  "head-missing" | "head-invalid" | "key-missing" | "log-truncated" | "log-extended";

export interface Position extends ChainPosition {
  /** Set when the log was found damaged: the caller records it before its own entry. */
  readonly problem?: { readonly kind: IntegrityProblem; readonly message: string };
  /** The log's last byte is not a newline (a torn write): the next line must start on its own. */
  readonly torn: boolean;
}

function readRange(fd: number, from: number, to: number): string {
  const buf = Buffer.alloc(to - from);
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, from + off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off).toString("utf8");
}

/** Walks lines that must continue the chain from `at`; returns the new end, or undefined on the first bad one. */
function extend(text: string, at: ChainPosition, key: AuditKey): ChainPosition | undefined {
  let pos = at;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const p = parseRecord(line);
    if (typeof p === "string") return undefined;
    const r = p.record;
    if (r.seq !== pos.seq + 1 || r.prev !== pos.prev || entryMac(key, p.raw) !== r.mac) return undefined;
    pos = { seq: r.seq, prev: r.mac };
  }
  return pos;
}

/** The last line of the log that parses, for continuing after the head was lost. */
function lastEntry(text: string): ChainPosition | undefined {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const p = parseRecord(lines[i] as string);
    if (typeof p !== "string") return { seq: p.record.seq, prev: p.record.mac };
  }
  return undefined;
}

export function nextPosition(paths: AuditPaths, key: AuditKey, fd: number, size: number): Position {
  const h = readHead(paths.head, key);
  // The head's size always ends a line guard wrote, so the fast path need not look.
  if (h.state === "ok" && size === h.head.size) return { seq: h.head.seq + 1, prev: h.head.mac, torn: false };
  const genesis: ChainPosition = { seq: 0, prev: key.id };
  const torn = size > 0 && readRange(fd, size - 1, size) !== "\n";
  if (h.state === "ok") {
    const head: ChainPosition = { seq: h.head.seq, prev: h.head.mac };
    if (size < h.head.size) {
      const message = `the log is ${size} bytes but the head recorded ${h.head.size} after seq ${head.seq}: its tail was cut off`;
      return { seq: head.seq + 1, prev: head.prev, torn, problem: { kind: "log-truncated", message } };
    }
    // Longer than the head says: a writer that died between the append and the head update left valid
    // entries (continue after them), or someone else wrote there (continue from the head; verify will
    // name their first line).
    const end = extend(readRange(fd, h.head.size, size), head, key);
    if (end) return { seq: end.seq + 1, prev: end.prev, torn };
    const message = `bytes after seq ${head.seq} (offset ${h.head.size}) were not written by guard`;
    return { seq: head.seq + 1, prev: head.prev, torn, problem: { kind: "log-extended", message } };
  }
  if (size === 0) return { seq: genesis.seq + 1, prev: genesis.prev, torn };
  const last = lastEntry(readRange(fd, 0, size)) ?? genesis;
  if (key.created) {
    const message = `the audit key ${paths.key} was missing and a new one was made: the entries before this one cannot be verified`;
    return { seq: last.seq + 1, prev: last.prev, torn, problem: { kind: "key-missing", message } };
  }
  const message =
    h.state === "missing"
      ? `the head file ${paths.head} was missing: entries after the last one shown may have been cut off`
      : `the head file ${paths.head} was invalid (${h.why}): entries after the last one shown may have been cut off`;
  return {
    seq: last.seq + 1,
    prev: last.prev,
    torn,
    problem: { kind: h.state === "missing" ? "head-missing" : "head-invalid", message },
  };
}

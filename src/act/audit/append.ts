// Appends one entry to the audit trail. Runs in the hook's hot path: synchronous, node:fs and
// node:crypto only, one lock, one small head read, one write of the whole line, one
// head overwrite. No fsync: a power cut may lose the last entries, and the next append records that.
import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { writeHead } from "./head.ts";
import { forgetKeys, loadKey } from "./key.ts";
import { withLock } from "./lock.ts";
import { auditPaths } from "./paths.ts";
import { nextPosition } from "./position.ts";
import { sealRecord } from "./record.ts";
import type { AuditInput, AuditOptions, AuditRecord } from "./types.ts";

const madeDirs = new Set<string>();

/** For a long-lived process: the audit directory and key are looked at again on the next append. */
export function forgetAuditState(): void {
  madeDirs.clear();
  forgetKeys();
}

function writeAll(fd: number, text: string): number {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  // One write in practice; the loop only matters for a short write (a full disk).
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  return buf.length;
}

/** Appends `entry` and returns it as recorded. Throws when the log cannot be written. */
export function appendAudit(entry: AuditInput, opts: AuditOptions = {}): AuditRecord {
  const paths = auditPaths(opts.dir);
  if (!madeDirs.has(paths.dir)) {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    madeDirs.add(paths.dir);
  }
  const key = loadKey(paths.dir, true);
  if (!key) throw new Error(`cannot create the audit key ${paths.key}`);
  return withLock(paths.lock, () => {
    const fd = openSync(paths.log, "a+", 0o600);
    try {
      const size = fstatSync(fd).size;
      const at = nextPosition(paths, key, fd, size);
      const now = new Date();
      let text = at.torn ? "\n" : "";
      let pos = { seq: at.seq, prev: at.prev };
      if (at.problem) {
        const alert = sealRecord(
          {
            kind: "alert",
            host: entry.host,
            ...(entry.session !== undefined ? { session: entry.session } : {}),
            cwd: entry.cwd,
            command: "",
            reason: at.problem.message,
            detail: { integrity: at.problem.kind },
          },
          pos,
          now,
          key,
        );
        text += alert.line;
        pos = { seq: pos.seq + 1, prev: alert.record.mac };
      }
      const { record, line } = sealRecord(entry, pos, now, key);
      const written = writeAll(fd, text + line);
      writeHead(paths.head, key, { seq: record.seq, mac: record.mac, size: size + written });
      return record;
    } finally {
      closeSync(fd);
    }
  });
}

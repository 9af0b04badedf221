// Checks the whole trail: every entry's MAC, an unbroken sequence, each prev equal to the previous
// entry's mac (the first one's to the key id), and the log's end against the keyed head. Names the
// first entry that fails.
import { readHead, type HeadState } from "./head.ts";
import { loadKey, type AuditKey } from "./key.ts";
import { withLock } from "./lock.ts";
import { auditPaths } from "./paths.ts";
import { readLogLines } from "./read.ts";
import { entryMac, parseRecord } from "./record.ts";
import type { AuditOptions, BadEntry, VerifyResult } from "./types.ts";

function integrityAlert(detail: unknown): string | undefined {
  const v =
    detail && typeof detail === "object" ? (detail as Record<string, unknown>)["integrity"] : undefined;
  return typeof v === "string" ? v : undefined;
}

/** The head, read under the append lock (it is overwritten in place); without it where the lock cannot be made (a read-only copy). */
function lockedHead(file: string, lock: string, key: AuditKey): HeadState {
  try {
    return withLock(lock, () => readHead(file, key));
  } catch (e) {
    if (["EACCES", "EPERM", "EROFS"].includes((e as NodeJS.ErrnoException).code ?? ""))
      return readHead(file, key);
    throw e;
  }
}

export function verifyAudit(opts: AuditOptions = {}): VerifyResult {
  const paths = auditPaths(opts.dir);
  const key = loadKey(paths.dir, false);
  // The head first, then the log: appends write the log before the head, so the log read after can only
  // be longer than the head says, never shorter, even while hooks are writing.
  const head: HeadState = key ? lockedHead(paths.head, paths.lock, key) : { state: "missing" };
  const lines = readLogLines(paths.log);
  const count = lines.length;
  const headSeq = head.state === "ok" ? head.head.seq : undefined;
  const fail = (bad: BadEntry): VerifyResult => ({
    ok: false,
    count,
    firstBad: bad,
    ...(headSeq !== undefined ? { headSeq } : {}),
  });
  if (!key) {
    if (count === 0) return { ok: true, count };
    return fail({
      index: 0,
      line: lines[0]?.line ?? 1,
      problem: `the audit key ${paths.key} is missing, so no entry can be verified`,
    });
  }
  let expectedSeq = 1;
  let prev = key.id;
  let headSeen = false;
  for (let index = 0; index < count; index++) {
    const { line, text } = lines[index] as { line: number; text: string };
    const p = parseRecord(text);
    if (typeof p === "string")
      return fail({ index, line, problem: `line ${line} is not an audit entry: ${p}` });
    const r = p.record;
    const at = { index, line, seq: r.seq };
    if (entryMac(key, p.raw) !== r.mac) {
      const problem =
        index === 0 && r.prev !== key.id
          ? "the first entry was not made with this log's key: the log was rebuilt, or the key replaced"
          : "its mac does not match: the entry was edited, or written without the key";
      return fail({ ...at, problem });
    }
    if (r.seq !== expectedSeq) {
      const problem =
        r.seq > expectedSeq
          ? `expected seq ${expectedSeq}, found seq ${r.seq}: ${r.seq - expectedSeq === 1 ? `entry ${expectedSeq} was` : `entries ${expectedSeq} to ${r.seq - 1} were`} deleted or moved`
          : `expected seq ${expectedSeq}, found seq ${r.seq}: entries were reordered or duplicated`;
      return fail({ ...at, problem });
    }
    if (r.prev !== prev) {
      const problem =
        index === 0
          ? "the first entry does not chain to this log's key"
          : "its prev is not the previous entry's mac: the chain was spliced";
      return fail({ ...at, problem });
    }
    const integrity = r.kind === "alert" ? integrityAlert(r.detail) : undefined;
    if (integrity)
      return fail({
        ...at,
        problem: `guard found the log damaged when writing this entry (${integrity}): ${r.reason ?? ""}`,
      });
    if (head.state === "ok" && r.seq === head.head.seq) {
      if (r.mac !== head.head.mac)
        return fail({
          ...at,
          problem: `the head records another mac for seq ${r.seq}: the log was rewritten from here`,
        });
      headSeen = true;
    }
    prev = r.mac;
    expectedSeq++;
  }
  const end = { index: count, line: (lines[count - 1]?.line ?? 0) + 1 };
  if (head.state === "missing") {
    if (count === 0) return { ok: true, count };
    return fail({
      ...end,
      problem: `the head file ${paths.head} is missing: the log's tail may have been cut off`,
    });
  }
  if (head.state === "invalid")
    return fail({ ...end, problem: `the head file ${paths.head} is invalid: ${head.why}` });
  if (!headSeen) {
    const last = expectedSeq - 1;
    const cut =
      head.head.seq - last === 1
        ? `entry ${head.head.seq} was`
        : `entries ${last + 1} to ${head.head.seq} were`;
    return fail({
      ...end,
      seq: last + 1,
      problem: `the log ends at seq ${last} but the head records seq ${head.head.seq}: ${cut} cut off`,
    });
  }
  return { ok: true, count, headSeq: head.head.seq };
}

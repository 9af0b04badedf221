// Every way of changing the trail after the fact is caught by verify, which names the first bad entry.
import { createHash, randomBytes } from "node:crypto";
import {
  copyFileSync,
  readFileSync,
  rmSync,
  truncateSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { appendAudit } from "../src/act/audit/append.ts";
import { writeHead } from "../src/act/audit/head.ts";
import { keyFromBytes } from "../src/act/audit/key.ts";
import { auditPaths } from "../src/act/audit/paths.ts";
import { sealRecord } from "../src/act/audit/record.ts";
import { verifyAudit } from "../src/act/audit/verify.ts";
import {
  decision,
  filledLog,
  logLines,
  tempDir,
  writeLog,
  removeTempDirs,
} from "./fixtures/audit-helpers.ts";

afterAll(removeTempDirs);

const N = 10;

function edit(line: string, f: (o: Record<string, unknown>) => void): string {
  const o = JSON.parse(line) as Record<string, unknown>;
  f(o);
  return JSON.stringify(o);
}

describe("an untouched trail", () => {
  it("verifies, with its entry count and head", () => {
    const { dir } = filledLog(N);
    expect(verifyAudit({ dir })).toEqual({ ok: true, count: N, headSeq: N });
  });

  it("verifies when it was never written", () => {
    expect(verifyAudit({ dir: tempDir() })).toEqual({ ok: true, count: 0 });
  });

  it("still verifies when a line is re-serialised with other key order or spacing (the content is what counts)", () => {
    const { dir } = filledLog(3);
    const lines = logLines(dir);
    const o = JSON.parse(lines[1] as string) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(o).reverse());
    lines[1] = JSON.stringify(reordered, null, 0).replace(/,"/g, ', "');
    writeLog(dir, lines);
    expect(verifyAudit({ dir }).ok).toBe(true);
  });
});

describe("each kind of tampering is detected at the first bad entry", () => {
  it("editing a field of entry 5", () => {
    const { dir } = filledLog(N);
    const lines = logLines(dir);
    lines[4] = edit(lines[4] as string, (o) => (o["decision"] = "deny"));
    writeLog(dir, lines);
    const v = verifyAudit({ dir });
    expect(v.ok).toBe(false);
    expect(v.firstBad).toMatchObject({ index: 4, line: 5, seq: 5 });
    expect(v.firstBad?.problem).toMatch(/mac does not match: the entry was edited/);
  });

  it("editing a field and recomputing a plain SHA-256 in place of the mac", () => {
    const { dir } = filledLog(N);
    const lines = logLines(dir);
    lines[6] = edit(lines[6] as string, (o) => {
      o["command"] = "ls";
      delete o["mac"];
      o["mac"] = createHash("sha256").update(JSON.stringify(o)).digest("hex");
    });
    writeLog(dir, lines);
    expect(verifyAudit({ dir }).firstBad).toMatchObject({ index: 6, seq: 7 });
  });

  it("deleting a line in the middle", () => {
    const { dir } = filledLog(N);
    const lines = logLines(dir);
    lines.splice(4, 1);
    writeLog(dir, lines);
    const v = verifyAudit({ dir });
    expect(v.firstBad).toMatchObject({ index: 4, line: 5, seq: 6 });
    expect(v.firstBad?.problem).toBe("expected seq 5, found seq 6: entry 5 was deleted or moved");
  });

  it("deleting the first line", () => {
    const { dir } = filledLog(N);
    writeLog(dir, logLines(dir).slice(1));
    expect(verifyAudit({ dir }).firstBad).toMatchObject({ index: 0, seq: 2 });
  });

  it("swapping two entries", () => {
    const { dir } = filledLog(N);
    const lines = logLines(dir);
    [lines[3], lines[4]] = [lines[4] as string, lines[3] as string];
    writeLog(dir, lines);
    const v = verifyAudit({ dir });
    expect(v.firstBad).toMatchObject({ index: 3, line: 4, seq: 5 });
    expect(v.firstBad?.problem).toMatch(/expected seq 4, found seq 5/);
  });

  it("inserting a forged line (sealed with another key, continuing the chain)", () => {
    const { dir, records } = filledLog(N);
    const lines = logLines(dir);
    const forger = keyFromBytes(randomBytes(32));
    const forged = sealRecord(
      decision("rm -rf /", { decision: "allow" }),
      { seq: 5, prev: records[3]?.mac ?? "" },
      new Date(),
      forger,
    );
    lines.splice(4, 0, forged.line.trimEnd());
    writeLog(dir, lines);
    const v = verifyAudit({ dir });
    expect(v.firstBad).toMatchObject({ index: 4, line: 5, seq: 5 });
    expect(v.firstBad?.problem).toMatch(/mac does not match/);
  });

  it("inserting a copy of a genuine entry (a replay)", () => {
    const { dir } = filledLog(N);
    const lines = logLines(dir);
    lines.splice(6, 0, lines[2] as string);
    writeLog(dir, lines);
    const v = verifyAudit({ dir });
    expect(v.firstBad).toMatchObject({ index: 6, seq: 3 });
    expect(v.firstBad?.problem).toMatch(/reordered or duplicated/);
  });

  it("inserting a line that is not an entry", () => {
    const { dir } = filledLog(N);
    const lines = logLines(dir);
    lines.splice(2, 0, "not json");
    writeLog(dir, lines);
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: 2,
      line: 3,
      problem: "line 3 is not an audit entry: it is not JSON",
    });
  });

  it("truncating the tail by whole lines", () => {
    const { dir } = filledLog(N);
    writeLog(dir, logLines(dir).slice(0, 7));
    const v = verifyAudit({ dir });
    expect(v.ok).toBe(false);
    expect(v.firstBad).toMatchObject({ index: 7, line: 8, seq: 8 });
    expect(v.firstBad?.problem).toBe(
      "the log ends at seq 7 but the head records seq 10: entries 8 to 10 were cut off",
    );
  });

  it("truncating the last entry only", () => {
    const { dir } = filledLog(N);
    writeLog(dir, logLines(dir).slice(0, N - 1));
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: 9,
      seq: 10,
      problem: expect.stringMatching(/entry 10 was cut off/),
    });
  });

  it("truncating the tail mid-line", () => {
    const { dir } = filledLog(N);
    const { log } = auditPaths(dir);
    truncateSync(log, statSync(log).size - 20);
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: 9,
      line: 10,
      problem: expect.stringMatching(/not an audit entry/),
    });
  });

  it("emptying the log", () => {
    const { dir } = filledLog(N);
    writeFileSync(auditPaths(dir).log, "");
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: 0,
      line: 1,
      seq: 1,
      problem: expect.stringMatching(/entries 1 to 10 were cut off/),
    });
  });

  it("replacing the whole file with a freshly computed chain made without the key (head included)", () => {
    const { dir } = filledLog(N);
    const forger = keyFromBytes(randomBytes(32));
    const lines: string[] = [];
    let at = { seq: 1, prev: forger.id };
    let mac = "";
    for (let i = 1; i <= N; i++) {
      const s = sealRecord(decision(`cmd ${i}`), at, new Date(), forger);
      lines.push(s.line.trimEnd());
      mac = s.record.mac;
      at = { seq: i + 1, prev: mac };
    }
    writeLog(dir, lines);
    const { log, head } = auditPaths(dir);
    writeHead(head, forger, { seq: N, mac, size: statSync(log).size });
    const v = verifyAudit({ dir });
    expect(v.firstBad).toMatchObject({ index: 0, line: 1, seq: 1 });
    expect(v.firstBad?.problem).toBe(
      "the first entry was not made with this log's key: the log was rebuilt, or the key replaced",
    );
  });

  it("replacing the key (the old entries no longer verify)", () => {
    const { dir } = filledLog(3);
    // Another directory, so the key is read from disk as a fresh `guard audit verify` process would.
    const other = tempDir();
    for (const f of ["log", "head"] as const) copyFileSync(auditPaths(dir)[f], auditPaths(other)[f]);
    writeFileSync(auditPaths(other).key, randomBytes(32));
    expect(verifyAudit({ dir: other }).firstBad).toMatchObject({
      index: 0,
      problem: expect.stringMatching(/not made with this log's key/),
    });
  });

  it("deleting the key", () => {
    const { dir } = filledLog(3);
    const other = tempDir();
    copyFileSync(auditPaths(dir).log, auditPaths(other).log);
    copyFileSync(auditPaths(dir).head, auditPaths(other).head);
    expect(verifyAudit({ dir: other }).firstBad).toMatchObject({
      index: 0,
      problem: expect.stringMatching(/audit key .* is missing/),
    });
  });

  it("editing the head", () => {
    const { dir } = filledLog(N);
    const { head } = auditPaths(dir);
    writeFileSync(head, readFileSync(head, "utf8").replace(/"seq":10/, '"seq":7'));
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: 10,
      problem: expect.stringMatching(/head file .* is invalid: its hmac does not match/),
    });
  });

  it("deleting the head", () => {
    const { dir } = filledLog(N);
    unlinkSync(auditPaths(dir).head);
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: 10,
      line: 11,
      problem: expect.stringMatching(/head file .* is missing/),
    });
  });
});

describe("appending after damage records it, and verify still fails", () => {
  it("truncate the tail, then a hook appends: the gap is named", () => {
    const { dir } = filledLog(N);
    writeLog(dir, logLines(dir).slice(0, 6));
    const r = appendAudit(decision("ls"), { dir });
    expect(r.seq).toBe(12); // an alert (11) about the truncation, then the entry
    const alert = JSON.parse(logLines(dir)[6] as string) as Record<string, unknown>;
    expect(alert).toMatchObject({ kind: "alert", seq: 11, detail: { integrity: "log-truncated" } });
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: 6,
      seq: 11,
      problem: "expected seq 7, found seq 11: entries 7 to 10 were deleted or moved",
    });
  });

  it("delete the head and truncate, then a hook appends: the alert entry is named", () => {
    const { dir } = filledLog(N);
    unlinkSync(auditPaths(dir).head);
    writeLog(dir, logLines(dir).slice(0, 6));
    appendAudit(decision("ls"), { dir });
    const v = verifyAudit({ dir });
    expect(v.firstBad).toMatchObject({
      index: 6,
      seq: 7,
      problem: expect.stringMatching(/damaged when writing this entry \(head-missing\)/),
    });
  });

  it("a forged line appended at the end, then a hook appends: the forged line is named", () => {
    const { dir, records } = filledLog(N);
    const forged = sealRecord(
      decision("rm -rf /"),
      { seq: N + 1, prev: records[N - 1]?.mac ?? "" },
      new Date(),
      keyFromBytes(randomBytes(32)),
    );
    writeFileSync(auditPaths(dir).log, forged.line, { flag: "a" });
    appendAudit(decision("ls"), { dir });
    expect(verifyAudit({ dir }).firstBad).toMatchObject({
      index: N,
      seq: N + 1,
      problem: expect.stringMatching(/mac does not match/),
    });
  });

  it("a torn last line (a writer died mid-write) does not swallow the next entry", () => {
    const { dir } = filledLog(3);
    writeFileSync(auditPaths(dir).log, '{"seq":4,"ti', { flag: "a" });
    appendAudit(decision("ls"), { dir });
    const lines = logLines(dir);
    expect(lines[3]).toBe('{"seq":4,"ti');
    expect(verifyAudit({ dir }).firstBad).toMatchObject({ index: 3, line: 4 });
  });
  it("delete the key, then a hook appends: a new key is made, the loss is recorded, the old entries fail", () => {
    const { dir } = filledLog(3);
    const other = tempDir();
    copyFileSync(auditPaths(dir).log, auditPaths(other).log);
    copyFileSync(auditPaths(dir).head, auditPaths(other).head);
    appendAudit(decision("ls"), { dir: other });
    const alert = JSON.parse(logLines(other)[3] as string) as Record<string, unknown>;
    expect(alert).toMatchObject({ kind: "alert", seq: 4, detail: { integrity: "key-missing" } });
    expect(verifyAudit({ dir: other }).firstBad).toMatchObject({
      index: 0,
      problem: expect.stringMatching(/not made with this log's key/),
    });
  });
});

describe("a writer that died between the append and the head update", () => {
  it("leaves a log that verifies, and the next append continues after its entry", () => {
    const { dir } = filledLog(4);
    const { head } = auditPaths(dir);
    const before = readFileSync(head);
    appendAudit(decision("cmd 5"), { dir });
    writeFileSync(head, before); // the head update never happened
    expect(verifyAudit({ dir })).toMatchObject({ ok: true, count: 5, headSeq: 4 });
    expect(appendAudit(decision("cmd 6"), { dir }).seq).toBe(6);
    expect(verifyAudit({ dir })).toEqual({ ok: true, count: 6, headSeq: 6 });
  });
});

describe("properties", () => {
  const base = filledLog(12);
  const copy = (lines: readonly string[]): string => {
    const dir = tempDir();
    for (const f of ["head", "key"] as const) copyFileSync(auditPaths(base.dir)[f], auditPaths(dir)[f]);
    writeLog(dir, lines);
    return dir;
  };
  const fields = ["command", "cwd", "host", "session", "time", "decision", "kind", "seq", "prev"];

  it("changing any field of any entry is detected at that entry", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom(...fields),
        fc.string({ minLength: 1 }),
        (i, field, value) => {
          const lines = logLines(base.dir);
          const changed = edit(
            lines[i] as string,
            (o) =>
              (o[field] =
                field === "seq" ? (o["seq"] as number) + value.length : `${String(o[field])}${value}`),
          );
          fc.pre(changed !== lines[i]);
          lines[i] = changed;
          const dir = copy(lines);
          const v = verifyAudit({ dir });
          rmSync(dir, { recursive: true });
          return v.ok === false && v.firstBad?.index === i;
        },
      ),
      { numRuns: 60 },
    );
  });

  it("deleting any one entry is detected at its position", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), (i) => {
        const lines = logLines(base.dir);
        lines.splice(i, 1);
        const dir = copy(lines);
        const v = verifyAudit({ dir });
        rmSync(dir, { recursive: true });
        return v.ok === false && v.firstBad?.index === i;
      }),
    );
  });

  it("moving any entry elsewhere is detected at the first position that changed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 11 }), (from, to) => {
        fc.pre(from !== to);
        const lines = logLines(base.dir);
        const [moved] = lines.splice(from, 1);
        lines.splice(to, 0, moved as string);
        const dir = copy(lines);
        const v = verifyAudit({ dir });
        rmSync(dir, { recursive: true });
        return v.ok === false && v.firstBad?.index === Math.min(from, to);
      }),
    );
  });
});

describe("files", () => {
  it("keeps the key and log private to the user", () => {
    const { dir } = filledLog(1);
    const p = auditPaths(dir);
    expect(statSync(p.key).mode & 0o777).toBe(0o600);
    expect(statSync(p.key).size).toBe(32);
    expect(statSync(p.log).mode & 0o777).toBe(0o600);
    expect(statSync(p.head).mode & 0o777).toBe(0o600);
  });

  it("creates the state directory private to the user", () => {
    const dir = join(tempDir(), "state", "guard");
    appendAudit(decision("ls"), { dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

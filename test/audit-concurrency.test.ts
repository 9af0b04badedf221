// Many hook processes append at once: nothing is lost, nothing interleaves, the chain verifies.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "../src/act/audit/append.ts";
import { withLock } from "../src/act/audit/lock.ts";
import { auditPaths } from "../src/act/audit/paths.ts";
import { readAudit } from "../src/act/audit/read.ts";
import { verifyAudit } from "../src/act/audit/verify.ts";
import { decision, logLines, tempDir, removeTempDirs } from "./fixtures/audit-helpers.ts";

afterAll(removeTempDirs);

const WRITERS = 8;
const EACH = 1000;
let writerScript = "";

beforeAll(async () => {
  writerScript = join(tempDir(), "audit-writer.cjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./fixtures/audit-writer.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: writerScript,
    logLevel: "warning",
  });
});

function run(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [writerScript, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ code, stderr }));
  });
}

describe("concurrent writers", () => {
  it(`${WRITERS} processes appending ${EACH} entries each at once give ${WRITERS * EACH} entries and a chain that verifies`, async () => {
    const dir = tempDir();
    const go = join(dir, "go");
    const children = Array.from({ length: WRITERS }, (_, w) => run([dir, go, String(w), String(EACH)]));
    writeFileSync(go, ""); // every writer starts on this
    const results = await Promise.all(children);
    for (const r of results) expect(r).toEqual({ code: 0, stderr: "" });

    const v = verifyAudit({ dir });
    expect(v).toEqual({ ok: true, count: WRITERS * EACH, headSeq: WRITERS * EACH });

    const records = readAudit({ dir });
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: WRITERS * EACH }, (_, i) => i + 1));
    // Each writer's entries are all there, once, in the order it wrote them.
    for (let w = 0; w < WRITERS; w++) {
      const mine = records.filter((r) => r.session === `writer-${w}`).map((r) => r.command);
      expect(mine).toEqual(Array.from({ length: EACH }, (_, i) => `echo ${w} ${i}`));
    }
    // The writers really did run at the same time: their entries alternate rather than come in 8 blocks.
    let switches = 0;
    for (let i = 1; i < records.length; i++) if (records[i]?.session !== records[i - 1]?.session) switches++;
    expect(switches).toBeGreaterThan(WRITERS - 1);
  });
});

describe("the lock", () => {
  it("is broken when its holder died without releasing it", () => {
    const dir = tempDir();
    appendAudit(decision("ls"), { dir });
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const fd = openSync(auditPaths(dir).lock, "wx");
    writeSync(fd, `${dead} ${Date.now()} abc`);
    closeSync(fd);
    expect(appendAudit(decision("pwd"), { dir }).seq).toBe(2);
    expect(verifyAudit({ dir }).ok).toBe(true);
  });

  it("is broken when it is older than the stale limit, even if its pid is alive", () => {
    const dir = tempDir();
    const lock = join(dir, "x.lock");
    writeFileSync(lock, `${process.pid} ${Date.now() - 60_000} old`);
    expect(withLock(lock, () => "ran", { staleMs: 1000 })).toBe("ran");
  });

  it("is broken when it was left empty (its holder died between creating and writing it) and is old", () => {
    const dir = tempDir();
    const lock = join(dir, "x.lock");
    writeFileSync(lock, "");
    expect(withLock(lock, () => "ran", { staleMs: 0 })).toBe("ran");
  });

  it("makes a waiter give up with a message when a live holder keeps it", () => {
    const dir = tempDir();
    const lock = join(dir, "x.lock");
    writeFileSync(lock, `${process.pid} ${Date.now()} held`);
    expect(() => withLock(lock, () => "ran", { timeoutMs: 50 })).toThrow(/locked .* held by pid \d+/);
  });

  it("is released after the append, and after a failing critical section", () => {
    const dir = tempDir();
    appendAudit(decision("ls"), { dir });
    const lock = auditPaths(dir).lock;
    expect(() =>
      withLock(lock, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(withLock(lock, () => "again", { timeoutMs: 50 })).toBe("again");
    expect(logLines(dir)).toHaveLength(1);
  });
});

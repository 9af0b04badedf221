// `guard audit` as a user runs it: a real process, the state directory from XDG_STATE_HOME.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "../src/act/audit/append.ts";
import { auditPaths } from "../src/act/audit/paths.ts";
import { decision, logLines, tempDir, writeLog, removeTempDirs } from "./fixtures/audit-helpers.ts";

afterAll(removeTempDirs);

let cli = "";

beforeAll(async () => {
  cli = join(tempDir(), "audit-cli.cjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./fixtures/audit-cli.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: cli,
    logLevel: "warning",
  });
});

/** A home with its own XDG state and config directories. */
function home(): { env: NodeJS.ProcessEnv; dir: string; config: string } {
  const root = tempDir();
  const env = {
    PATH: process.env["PATH"] ?? "",
    HOME: root,
    XDG_STATE_HOME: join(root, "state"),
    XDG_CONFIG_HOME: join(root, "config"),
    GUARD_MANAGED_CONFIG: join(root, "none.yaml"),
  };
  return { env, dir: join(root, "state", "guard"), config: join(root, "config", "guard") };
}

function guard(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, "audit", ...args], { env, encoding: "utf8", cwd: env["HOME"] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fill(dir: string): void {
  appendAudit(decision("git push --force", { decision: "deny", rules: ["git.push-force"] }), { dir });
  for (let i = 0; i < 3; i++) {
    appendAudit(
      decision("npm publish", {
        kind: "prompt",
        decision: "ask",
        rules: ["pkg.publish"],
        prompt: { shown: "npm publish?", answer: "approve" },
        outcome: { ran: true, exitCode: 0 },
      }),
      { dir },
    );
  }
  appendAudit(decision("ls -la", { decision: "allow" }), { dir });
}

describe("guard audit", () => {
  it("path prints the log under XDG_STATE_HOME", () => {
    const h = home();
    expect(guard(h.env, "path")).toEqual({ code: 0, stdout: join(h.dir, "audit.jsonl") + "\n", stderr: "" });
  });

  it("verify exits 0 on an intact trail, and 1 naming the first bad entry on a tampered one", () => {
    const h = home();
    fill(h.dir);
    const ok = guard(h.env, "verify");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`audit trail intact: 5 entries, head at seq 5 (${join(h.dir, "audit.jsonl")})\n`);
    const lines = logLines(h.dir);
    lines.splice(1, 1);
    writeLog(h.dir, lines);
    const bad = guard(h.env, "verify");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      "first bad entry is entry 2 (line 2, seq 3): expected seq 2, found seq 3: entry 2 was deleted or moved",
    );
    const json = guard(h.env, "verify", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      count: 4,
      firstBad: { index: 1, line: 2, seq: 3 },
    });
  });

  it("tail shows the last entries, as text or as logged", () => {
    const h = home();
    fill(h.dir);
    const text = guard(h.env, "tail", "-n", "2");
    expect(text.code).toBe(0);
    expect(text.stdout.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^#4 .* ask\s+claude-code {2}npm publish {2}pkg\.publish {2}answered approve {2}exit 0$/,
      ),
      expect.stringMatching(/^#5 .* allow\s+claude-code {2}ls -la$/),
    ]);
    const json = guard(h.env, "tail", "--json", "-n", "1");
    expect(json.stdout).toBe(logLines(h.dir)[4] + "\n");
  });

  it("tail -f prints entries as other processes append them", async () => {
    const h = home();
    fill(h.dir);
    const child = spawn(process.execPath, [cli, "audit", "tail", "-f", "-n", "0", "--json"], { env: h.env });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((done) => child.on("close", done));
    const until = async (ok: () => boolean) => {
      while (!ok()) await new Promise((r) => setTimeout(r, 50));
    };
    // Append until the follower shows one (it may still be starting), then check nothing is skipped after.
    let n = 0;
    await until(() => {
      appendAudit(decision(`echo ${n++}`), { dir: h.dir });
      return stdout.includes("echo");
    });
    const first = JSON.parse(stdout.split("\n")[0] as string) as { seq: number };
    appendAudit(decision("echo last"), { dir: h.dir });
    await until(() => stdout.includes("echo last"));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    const seqs = stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => first.seq + i));
  });

  it("stats shows what was denied, asked and approved most", () => {
    const h = home();
    fill(h.dir);
    const r = guard(h.env, "stats");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("decisions: deny 1, ask 3, allow 1");
    expect(r.stdout).toMatch(/most denied\n\s+1 {2}git\.push-force\s+git push --force/);
    expect(r.stdout).toMatch(/most approved\n\s+3 {2}pkg\.publish/);
    expect(JSON.parse(guard(h.env, "stats", "--json").stdout)).toMatchObject({
      count: 5,
      approved: { rules: [{ key: "pkg.publish", count: 3 }] },
    });
  });

  it("suggest proposes rules from repeated approvals and lists allow rules never used", () => {
    const h = home();
    fill(h.dir);
    mkdirSync(h.config, { recursive: true });
    writeFileSync(join(h.config, "config.yaml"), "allow:\n  - ls -la\n  - docker compose *\n");
    appendAudit(decision("ls -la", { decision: "allow", rules: ["config.allow-1"] }), { dir: h.dir });
    const r = guard(h.env, "suggest");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  - "npm publish"  # approved 3 times; asked by pkg.publish');
    expect(r.stdout).toMatch(/never used .*\n\s+config\.allow-2 .*docker compose \*/);
    expect(r.stdout).not.toMatch(/config\.allow-1/);
  });

  it("export writes jsonl as logged, or syslog, and refuses other formats", () => {
    const h = home();
    fill(h.dir);
    expect(guard(h.env, "export", "--format", "jsonl").stdout).toBe(logLines(h.dir).join("\n") + "\n");
    const syslog = guard(h.env, "export", "--format", "syslog").stdout.trim().split("\n");
    expect(syslog).toHaveLength(5);
    expect(syslog[0]).toMatch(/^<108>1 /);
    const bad = guard(h.env, "export", "--format", "csv");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("guard audit export: --format must be jsonl or syslog, not csv\n");
  });

  it("reads an empty trail without complaint", () => {
    const h = home();
    expect(guard(h.env, "verify").code).toBe(0);
    expect(guard(h.env, "stats").stdout).toBe("the audit trail is empty\n");
    expect(guard(h.env, "tail").stdout).toBe("");
    expect(auditPaths(h.dir).log).toBe(join(h.dir, "audit.jsonl"));
  });
});

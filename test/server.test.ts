// The judgment server: a warm guard process answers hook calls exactly as the hook's own process
// would, and whenever it is missing, stale or unable to answer, the hook process judges by itself.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, GUARD } from "./build.ts";

const root = mkdtempSync(join(tmpdir(), "guard-server-"));
const home = join(root, "home");
const project = join(root, "project");
mkdirSync(join(project, ".git"), { recursive: true });
mkdirSync(home, { recursive: true });
writeFileSync(join(project, "package.json"), '{"scripts":{"test":"vitest run","wipe":"rm -rf ~"}}');
const env: Record<string, string> = {
  PATH: process.env["PATH"] ?? "",
  HOME: home,
  XDG_STATE_HOME: join(root, "state"),
  XDG_CONFIG_HOME: join(root, "config"),
};
const serverDir = join(root, "state", "guard", "server");
const pidFile = join(serverDir, "pid");
const auditFile = join(root, "state", "guard", "audit.jsonl");

let server: ChildProcess | undefined;

async function until(what: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; !what();) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const serverPid = (): number => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : NaN);

async function startServer(extra: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [GUARD, "__serve"], { env: { ...env, ...extra }, stdio: "ignore" });
  await until(() => existsSync(join(serverDir, "warm")) && serverPid() === child.pid);
  return child;
}

async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await gone;
}

let session = 0;
function payload(tool: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    session_id: `s${++session}`,
    cwd: project,
    hook_event_name: "PreToolUse",
    tool_name: tool,
    tool_input: input,
    tool_use_id: "x",
    ...extra,
  });
}

function hook(host: string, input: string, extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [GUARD, "hook", host], {
    input,
    env: { ...env, ...extra },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface AuditLine {
  readonly command: string;
  readonly decision: string;
  readonly detail?: { via?: string };
}
const audit = (): AuditLine[] =>
  existsSync(auditFile)
    ? readFileSync(auditFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditLine)
    : [];
const viaServer = (): number => audit().filter((a) => a.detail?.via === "server").length;
// The server writes a call's audit entry just after it answers: wait for it (or for it not to come).
async function served(n: number): Promise<number> {
  await until(() => viaServer() >= n, 5000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  return viaServer();
}

beforeAll(() => ensureBuilt(), 180_000);
afterAll(async () => {
  await stopServer(server);
  // A server this file's hook calls started (the automatic start) is stopped too.
  const pid = serverPid();
  if (pid > 0 && alive(pid)) process.kill(pid, "SIGTERM");
  rmSync(root, { recursive: true, force: true });
});

describe("with a judgment server running", () => {
  beforeAll(async () => {
    server = await startServer();
  }, 30_000);

  const calls: [string, string, string][] = [
    ["claude-code", "a safe command", payload("Bash", { command: "git status && npm test | tee t.log" })],
    ["claude-code", "a dangerous one", payload("Bash", { command: "sudo -E rm -r -f /" })],
    ["claude-code", "one that hides", payload("Bash", { command: "bash -c \"r''m -rf ~\"" })],
    ["claude-code", "a package script", payload("Bash", { command: "npm run wipe" })],
    ["claude-code", "an ask", payload("Bash", { command: "git push --force-with-lease" })],
    ["claude-code", "data, not code", payload("Bash", { command: "git commit -m 'DROP TABLE users'" })],
    [
      "claude-code",
      "a write to the host's settings",
      payload("Write", { file_path: join(home, ".claude", "settings.json"), content: "{}" }),
    ],
    ["claude-code", "a read of a secret", payload("Read", { file_path: join(home, ".ssh", "id_rsa") })],
    ["claude-code", "a destructive MCP tool", payload("mcp__db__drop_table", { table: "users" })],
    ["codex", "a codex deny", payload("Bash", { command: ["bash", "-lc", "kubectl delete ns prod"] })],
    ["codex", "a codex pass", payload("Bash", { command: ["bash", "-lc", "ls -la"] })],
    ["claude-code", "malformed input", "{not json"],
    ["claude-code", "an unknown event", JSON.stringify({ hook_event_name: "Nope", tool_name: "Bash" })],
  ];

  it.each(calls)("%s: %s is answered as the hook process would answer it", async (host, what, input) => {
    const before = viaServer();
    const answer = hook(host, input);
    expect(await served(before + 1), "answered by the server").toBe(before + 1);
    const own = hook(host, input, { GUARD_SERVER: "off" });
    expect(await served(before + 1)).toBe(before + 1);
    expect(answer).toEqual(own);
    if (what.includes("dangerous") || what.includes("hides") || what.includes("package script"))
      expect(answer.stdout).toContain('"permissionDecision":"deny"');
  });

  const checks: string[][] = [
    ["--json", "--", "sudo -E rm -r -f /"],
    ["--json", "--", "git status && npm test | tee t.log"],
    ["--explain", "--", "cd / && rm -rf *"],
    ["--", "echo / | xargs rm -rf"],
    ["--json", "--cwd", "/", "--", "rm -rf node_modules"],
    ["--json", "--file", "cmd.txt"],
    ["--json", "--file", "missing.txt"],
    ["--bogus"],
    ["--help"],
  ];

  it.each(checks)("guard check %s ... is answered as its own process would answer it", (...args) => {
    writeFileSync(join(project, "cmd.txt"), "kubectl get po &&\nkubectl delete ns prod\n");
    const run = (extra: Record<string, string>) => {
      const r = spawnSync(process.execPath, [GUARD, "check", "--audit", ...args], {
        cwd: project,
        env: { ...env, ...extra },
        encoding: "utf8",
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const before = viaServer();
    const served = run({});
    const own = run({ GUARD_SERVER: "off" });
    expect(served).toEqual(own);
    // Every one that gets as far as judging is recorded (--audit), and says the server judged it; --file
    // is read by the caller's own process (it may name that process's stdin).
    if (!args.includes("--bogus") && !args.includes("--help") && !args.includes("--file"))
      expect(viaServer()).toBe(before + 1);
    if (args.includes("--file")) expect(viaServer()).toBe(before);
  });

  it("check --file /dev/stdin reads the caller's stdin, not the server's", () => {
    const r = spawnSync(
      "sh",
      ["-c", `echo 'rm -rf ~' | "${process.execPath}" "${GUARD}" check --json --file /dev/stdin`],
      {
        env,
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(4);
    expect(JSON.parse(r.stdout).decision).toBe("deny");
  });

  it("a FIFO where a file is read (.git/HEAD) does not stall the server", async () => {
    const trap = join(root, "trap");
    mkdirSync(join(trap, ".git"), { recursive: true });
    expect(spawnSync("mkfifo", [join(trap, ".git", "HEAD")]).status).toBe(0);
    const at = (command: string) => payload("Bash", { command }, { cwd: trap });
    const before = viaServer();
    expect(hook("claude-code", at("rm -rf ~")).stdout).toContain('"permissionDecision":"deny"');
    expect(hook("claude-code", payload("Bash", { command: "ls" })).stdout).toBe("");
    expect(await served(before + 2)).toBe(before + 2);
  });

  it("an answer larger than a pipe holds arrives whole, and the call is recorded once", async () => {
    const tool = `mcp__db__drop_${"x".repeat(70_000)}`;
    const input = payload(tool, { table: "users" });
    const before = audit().length;
    const viaBefore = viaServer();
    const answer = hook("claude-code", input);
    expect(answer.stdout.length).toBeGreaterThan(65_536);
    expect(await served(viaBefore + 1)).toBe(viaBefore + 1);
    expect(audit().length).toBe(before + 1);
    expect(answer).toEqual(hook("claude-code", input, { GUARD_SERVER: "off" }));
  });

  it("a request half-written into a slot by a killed caller does not spoil the next one", async () => {
    const { constants, openSync, closeSync, writeSync } = await import("node:fs");
    const fd = openSync(join(serverDir, "0.req"), constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, '{"id":"cut short","argv":["hook"');
    closeSync(fd);
    const before = viaServer();
    expect(hook("claude-code", payload("Bash", { command: "rm -rf ~" })).stdout).toContain("deny");
    expect(await served(before + 1)).toBe(before + 1);
  });

  it("a reader that goes away early gets the exit code the hook process would give", () => {
    const run = (extra: string) =>
      spawnSync(
        "bash",
        [
          "-c",
          `${extra} "${process.execPath}" "${GUARD}" check --json -- 'rm -rf /' | head -c 5 >/dev/null; echo \${PIPESTATUS[0]}`,
        ],
        {
          env,
          encoding: "utf8",
        },
      ).stdout.trim();
    expect(run("")).toBe(run("GUARD_SERVER=off"));
  });

  it("a call that needs a prompt on the terminal is judged by the hook process itself", async () => {
    // Codex asks on the terminal; with none here the answer is a deny, judged in-process, not by the server.
    const input = payload("Bash", { command: ["bash", "-lc", "git push --force-with-lease"] });
    const before = viaServer();
    const answer = hook("codex", input);
    expect(await served(before + 1)).toBe(before);
    expect(answer.stdout).toContain('"permissionDecision":"deny"');
    expect(answer).toEqual(hook("codex", input, { GUARD_SERVER: "off" }));
  });

  it("answers concurrent calls, each its own", async () => {
    const { execFile } = await import("node:child_process");
    const run = (cmd: string) =>
      new Promise<string>((done, fail) => {
        const c = execFile(process.execPath, [GUARD, "hook", "claude-code"], { env }, (e, out) =>
          e ? fail(e) : done(out),
        );
        c.stdin!.end(payload("Bash", { command: cmd }));
      });
    const cmds = Array.from({ length: 16 }, (_, i) => (i % 2 ? `rm -rf ~/dir${i}` : `ls dir${i}`));
    const outs = await Promise.all(cmds.map(run));
    outs.forEach((out, i) => {
      if (i % 2) expect(out, cmds[i]).toContain('"permissionDecision":"deny"');
      else expect(out, cmds[i]).toBe("");
    });
    // More calls than slots: some were judged by their own process; every one was recorded once, and
    // the trail written by both kinds of process at once still verifies.
    const ours = () => audit().filter((a) => /^(rm -rf ~|ls )dir\d+$/.test(a.command.replace("~/", "~")));
    await until(() => ours().length >= 16, 5000).catch(() => undefined);
    const recorded = ours();
    expect(recorded.length).toBe(16);
    expect(recorded.some((a) => a.detail?.via === "server")).toBe(true);
    const verify = spawnSync(process.execPath, [GUARD, "audit", "verify"], { env, encoding: "utf8" });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });

  it("a slot left behind by a hook process that died is freed", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    for (let i = 0; i < 8; i++) writeFileSync(join(serverDir, `${i}.lock`), dead.stdout);
    const before = viaServer();
    const r = hook("claude-code", payload("Bash", { command: "rm -rf /" }));
    expect(r.stdout).toContain('"permissionDecision":"deny"');
    expect(await served(before + 1), "every slot taken: judged in-process").toBe(before);
    await until(() => !existsSync(join(serverDir, "0.lock")));
    hook("claude-code", payload("Bash", { command: "ls" }));
    expect(await served(before + 1)).toBe(before + 1);
  });
});

describe("without a usable server", () => {
  it("a killed server: the call is still judged, and the next call starts a new server", async () => {
    await stopServer(server);
    server = await startServer();
    const old = server.pid!;
    const gone = new Promise((r) => server!.once("exit", r));
    server.kill("SIGKILL"); // leaves its pipes and pid file behind
    await gone;
    const before = viaServer();
    const r = hook("claude-code", payload("Bash", { command: "kubectl get po && kubectl delete ns prod" }));
    expect(r.stdout).toContain('"permissionDecision":"deny"');
    expect(viaServer()).toBe(before);
    await until(() => existsSync(join(serverDir, "warm")) && serverPid() !== old && alive(serverPid()));
    hook("claude-code", payload("Bash", { command: "ls" }));
    expect(await served(before + 1)).toBe(before + 1);
    process.kill(serverPid(), "SIGTERM");
    await until(() => !existsSync(pidFile));
    server = undefined;
  }, 30_000);

  it("a server that stops answering is replaced: the call is judged in-process, the next by a new server", async () => {
    server = await startServer();
    const stuck = server.pid!;
    process.kill(stuck, "SIGSTOP");
    const r = hook("claude-code", payload("Bash", { command: "git push --force origin main" }));
    expect(r.stdout).toContain('"permissionDecision":"deny"');
    await until(() => server!.exitCode !== null || server!.signalCode !== null);
    await until(() => existsSync(join(serverDir, "warm")) && alive(serverPid()) && serverPid() !== stuck);
    const before = viaServer();
    hook("claude-code", payload("Bash", { command: "ls" }));
    expect(await served(before + 1)).toBe(before + 1);
    process.kill(serverPid(), "SIGTERM");
    await until(() => !existsSync(pidFile));
    server = undefined;
  }, 30_000);

  it("a pid file naming some other live process does not keep the server from starting", async () => {
    mkdirSync(serverDir, { recursive: true });
    writeFileSync(pidFile, String(process.pid));
    hook("claude-code", payload("Bash", { command: "ls" }));
    await until(
      () => existsSync(join(serverDir, "warm")) && serverPid() !== process.pid && alive(serverPid()),
    );
    process.kill(serverPid(), "SIGTERM");
    await until(() => !existsSync(pidFile));
  }, 30_000);

  it("the server it starts does not hold the descriptors its first caller inherited", async () => {
    // `out=$(guard hook ... 100>&1)` waits for every holder of the pipe: the server must not be one.
    await stopServer(server);
    server = undefined;
    if (alive(serverPid())) process.kill(serverPid(), "SIGTERM");
    await until(() => !existsSync(pidFile));
    const input = join(root, "p.json");
    writeFileSync(input, payload("Bash", { command: "rm -rf ~" }));
    const r = spawnSync(
      "bash",
      ["-c", `out=$("${process.execPath}" "${GUARD}" hook claude-code < "${input}" 100>&1); echo "$out"`],
      {
        env,
        encoding: "utf8",
        timeout: 15_000,
      },
    );
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain('"permissionDecision":"deny"');
  });

  it("stops the server the previous test started", async () => {
    await until(() => alive(serverPid()));
    process.kill(serverPid(), "SIGTERM");
    await until(() => !existsSync(pidFile));
  });

  it("a relative XDG_STATE_HOME starts no server (it runs in /, where the path means another place)", () => {
    const r = spawnSync(process.execPath, [GUARD, "hook", "claude-code"], {
      input: payload("Bash", { command: "rm -rf ~" }),
      env: { ...env, XDG_STATE_HOME: "rel-state" },
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stdout).toContain('"permissionDecision":"deny"');
    spawnSync("sleep", ["1"]);
    expect(existsSync(join(root, "rel-state", "guard", "server", "pid"))).toBe(false);
    expect(existsSync("/rel-state")).toBe(false);
  });

  it("GUARD_SERVER=off judges in-process and starts no server", () => {
    const r = hook("claude-code", payload("Bash", { command: "rm -rf ~" }), { GUARD_SERVER: "off" });
    expect(r.stdout).toContain('"permissionDecision":"deny"');
    expect(existsSync(pidFile)).toBe(false);
  });

  it("guard check uses a running server but does not start one (a script or CI job leaves nothing behind)", () => {
    const r = spawnSync(process.execPath, [GUARD, "check", "--json", "--", "rm -rf ~"], {
      env,
      encoding: "utf8",
    });
    expect(r.status).toBe(4);
    expect(JSON.parse(r.stdout).decision).toBe("deny");
    spawnSync("sleep", ["1"]);
    expect(existsSync(pidFile)).toBe(false);
  });

  it("the server leaves when idle, and when its directory is removed", async () => {
    server = await startServer({ GUARD_SERVER_IDLE: "1" });
    await until(() => server!.exitCode !== null);
    expect(existsSync(join(serverDir, "0.req"))).toBe(false);
    expect(existsSync(pidFile)).toBe(false);

    server = await startServer();
    rmSync(serverDir, { recursive: true, force: true });
    await until(() => server!.exitCode !== null);
    server = undefined;
  }, 30_000);

  it("a second server for the same directory leaves at once", async () => {
    server = await startServer();
    const second = spawnSync(process.execPath, [GUARD, "__serve"], { env, timeout: 10_000 });
    expect(second.status).toBe(0);
    expect(serverPid()).toBe(server.pid);
    await stopServer(server);
    server = undefined;
  }, 30_000);
});

// guard exec runs an allowed command as if guard were not there: stdin, exit codes and signals pass
// through; a denied command does not run, with the documented exit code and the reason on stderr.
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { buildGuard, disposeGuard, sandbox, waitFor, type Sandbox } from "./exec-harness.ts";

const guard = await buildGuard();
afterAll(() => disposeGuard(guard));
const sb: Sandbox = sandbox();
afterAll(() => sb.cleanup());

function run(
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<Buffer> {
  return spawnSync(process.execPath, [guard, ...args], {
    cwd: sb.project,
    env: { ...sb.env, ...opts.env },
    input: opts.input ?? "",
    timeout: 30_000,
    maxBuffer: 64 << 20,
  });
}

describe("exit codes", () => {
  it.each([0, 1, 2, 7, 126, 130, 255])("passes exit code %i through", (code) => {
    const r = run(["exec", "--", "sh", "-c", `exit ${code}`]);
    expect(r.status).toBe(code);
  });

  it("passes the exit code of a -c command line through", () => {
    expect(run(["exec", "-c", "true && (exit 3)"]).status).toBe(3);
  });

  it("reports a missing program as 127, like a shell", () => {
    const r = run(["exec", "--", "no-such-program-guard-test"]);
    expect(r.status).toBe(127);
    expect(r.stderr.toString()).toContain("command not found");
  });
});

describe("stdin and stdout", () => {
  it("gives the command guard's own stdin, byte for byte", () => {
    const data = randomBytes(1 << 20);
    const r = run(["exec", "--", "sha256sum"], { input: data });
    expect(r.status).toBe(0);
    expect(r.stdout.toString().split(" ")[0]).toBe(createHash("sha256").update(data).digest("hex"));
  });

  it("keeps stdout and stderr apart", () => {
    const r = run(["exec", "-c", "echo out; echo err >&2"]);
    expect(r.stdout.toString()).toBe("out\n");
    expect(r.stderr.toString()).toBe("err\n");
  });

  it("passes arguments as given, without a shell re-reading them", () => {
    const r = run(["exec", "--", "printf", "%s|", "a b", "$HOME", "*", "'q'"]);
    expect(r.stdout.toString()).toBe("a b|$HOME|*|'q'|");
  });

  it("runs options that look like guard's as the command's own", () => {
    const r = run(["exec", "echo", "-c", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toBe("-c --help\n");
  });
});

describe("signals", () => {
  it.each(["SIGTERM", "SIGINT", "SIGKILL", "SIGHUP"] as const)("dies by %s when the command does", (sig) => {
    const r = run(["exec", "--", "sh", "-c", `kill -${sig.slice(3)} $$`]);
    expect(r.signal).toBe(sig);
    expect(r.status).toBeNull();
  });

  it("a shell sees 130 when the command dies of SIGINT", () => {
    const r = spawnSync(
      "sh",
      ["-c", `"$0" "$1" exec -- sh -c 'kill -INT $$'; echo "status $?"`, process.execPath, guard],
      { cwd: sb.project, env: sb.env },
    );
    expect(r.stdout.toString()).toContain("status 130");
  });

  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1"] as const) {
    it(`forwards ${sig} sent to guard to the command`, async () => {
      const marker = sb.file(`${sig}.ready`);
      // Its own session (no terminal), so nothing but guard can pass the signal on.
      const child = spawn(
        process.execPath,
        [
          guard,
          "exec",
          "--",
          "sh",
          "-c",
          `trap 'echo got ${sig}; exit 42' ${sig.slice(3)}; : > '${marker}'; while :; do sleep 0.05; done`,
        ],
        {
          cwd: sb.project,
          env: sb.env,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await waitFor(() => existsSync(marker), "the command to start");
      child.kill(sig);
      expect(await exited).toBe(42);
      expect(out).toContain(`got ${sig}`);
    });
  }
});

describe("deny", () => {
  it("does not run a denied command: exit 4, the rule and reason on stderr", () => {
    const target = sb.file("keep-shred.txt");
    writeFileSync(target, "precious");
    const r = run(["exec", "--", "shred", "-u", target]);
    expect(r.status).toBe(4);
    expect(r.stderr.toString()).toContain("test.deny-shred");
    expect(r.stdout.toString()).toBe("");
    expect(readFileSync(target, "utf8")).toBe("precious");
  });

  it("judges what runs inside wrappers and -c strings", () => {
    const target = sb.file("keep-wrapped.txt");
    writeFileSync(target, "precious");
    for (const args of [
      ["exec", "--", "bash", "-c", `shred -u '${target}'`],
      ["exec", "-c", `cd / && env X=1 shred -u '${target}'`],
      ["shell", "-c", `true; shred -u '${target}'`],
    ]) {
      const r = run(args);
      expect(r.status, args.join(" ")).toBe(4);
    }
    expect(readFileSync(target, "utf8")).toBe("precious");
  });

  it("denies by the built-in rules too", () => {
    expect(run(["exec", "--", "rm", "-rf", "/"]).status).toBe(4);
  });

  it("has no option that skips the judge: unknown options are usage errors and run nothing", () => {
    const target = sb.file("keep-opts.txt");
    writeFileSync(target, "precious");
    for (const opt of ["--force", "--no-judge", "-y", "--yes"]) {
      const r = run(["exec", opt, "shred", "-u", target]);
      expect(r.status, opt).toBe(2);
    }
    expect(readFileSync(target, "utf8")).toBe("precious");
  });
});

describe("audit trail", () => {
  it("records the decision before running and the exit code after", () => {
    const r = run(["exec", "--", "sh", "-c", "exit 5"], { env: { GUARD_SESSION: "audit-test" } });
    expect(r.status).toBe(5);
    const entries = readFileSync(`${sb.stateDir}/audit.jsonl`, "utf8")
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as {
            host: string;
            session: string;
            command: string;
            decision?: string;
            outcome?: { ran?: boolean; exitCode?: number };
          },
      );
    const mine = entries.filter((e) => e.session === "audit-test");
    expect(mine.map((e) => [e.host, e.command, e.decision, e.outcome])).toEqual([
      ["exec", "sh -c 'exit 5'", "none", { ran: true }],
      ["exec", "sh -c 'exit 5'", undefined, { ran: true, exitCode: 5 }],
    ]);
  });
});

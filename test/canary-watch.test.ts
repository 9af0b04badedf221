// guard canary watch (L2), run as a real process over a planted throwaway HOME: each reader program
// gives an alert within a second (naming it where it blocks on the lease); listing, stat and find give
// none; a stopped, killed or frozen watcher leaves no reader hanging.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plant } from "../src/canary/plant.ts";
import { readWatcherStatus } from "../src/canary/watch/control.ts";
import {
  alertsEnd,
  guardBinary,
  has,
  makeHome,
  sleep,
  waitAlert,
  waitFor,
  removeTemp,
  tempDir,
} from "./fixtures/canary-helpers.ts";

// Registered first, so it runs after every other afterAll of this file (they stop watchers).
afterAll(removeTemp);

const CAN_WATCH = process.platform === "linux" && has("python3");
if (!CAN_WATCH) console.warn("canary watch tests skipped: they need Linux and python3 (the lease helper)");

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to completion; `ms` is how long it took. Kills it after 20 s (a hang is a failure). */
function run(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<{ pid: number; code: number | null; ms: number; stderr: string }> {
  const t0 = performance.now();
  const child = spawn(argv[0] as string, argv.slice(1), { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((res) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      res({ pid: child.pid as number, code, ms: performance.now() - t0, stderr });
    }),
  );
}

describe.skipIf(!CAN_WATCH)("guard canary watch (Linux, python3)", () => {
  const { home, env } = makeHome();
  const out = tempDir("guard-canary-out-");
  let guard: string[] = [];
  let watcher: ChildProcess | undefined;
  const decoy = (suffix: string) => join(home, suffix);

  async function startWatcher(): Promise<ChildProcess> {
    const w = spawn(guard[0] as string, [...guard.slice(1), "canary", "watch"], { env, stdio: "ignore" });
    const s = await waitFor(() => {
      const st = readWatcherStatus(env);
      return st && st.pid === w.pid && st.ready && st.helperPid ? st : undefined;
    }, 10_000);
    expect(s, "the watcher did not start").toBeDefined();
    expect(Object.values(s?.files ?? {})).toContain("lease");
    return w;
  }

  beforeAll(async () => {
    guard = await guardBinary();
    plant({ env, guard });
    watcher = await startWatcher();
  });

  afterAll(() => {
    if (alive(watcher?.pid)) watcher?.kill("SIGKILL");
  });

  const readers: {
    name: string;
    tool: string;
    file: string;
    argv: (p: string) => string[];
    named: boolean;
  }[] = [
    { name: "cat", tool: "cat", file: ".aws/credentials.bak", argv: (p) => ["cat", p], named: true },
    {
      name: "head",
      tool: "head",
      file: ".ssh/prod_db_ed25519",
      argv: (p) => ["head", "-c", "20", p],
      named: true,
    },
    {
      name: "cp",
      tool: "cp",
      file: ".git-credentials",
      argv: (p) => ["cp", p, join(out, "copy")],
      named: true,
    },
    {
      name: "grep",
      tool: "grep",
      file: ".npmrc.bak",
      argv: (p) => ["grep", "-c", "authToken", p],
      named: true,
    },
    {
      name: "python open()",
      tool: "python3",
      file: ".netrc.old",
      argv: (p) => ["python3", "-c", `open(${JSON.stringify(p)}).read()`],
      named: true,
    },
    {
      name: "node fs (threadpool)",
      tool: "node",
      file: ".env.production.bak",
      argv: (p) => [process.execPath, "-e", `require("fs").promises.readFile(${JSON.stringify(p)})`],
      named: true,
    },
    {
      name: "rg",
      tool: "rg",
      file: ".kube/prod-eks.yaml",
      argv: (p) => ["rg", "-c", "server", p],
      named: true,
    },
    // GNU tar opens O_NONBLOCK: the lease refuses it (EAGAIN) and it never waits, so it is not caught by pid.
    {
      name: "tar",
      tool: "tar",
      file: ".docker/config.json.bak",
      argv: (p) => ["tar", "cf", join(out, "x.tar"), "-C", dirname(p), basename(p)],
      named: false,
    },
  ];

  for (const r of readers) {
    it.skipIf(!has(r.tool))(
      `${r.name} reading a decoy gives an alert within 1 s${has(r.tool) ? "" : ` (skipped: ${r.tool} is not installed)`}`,
      async () => {
        const path = decoy(r.file);
        const from = alertsEnd(env);
        const t0 = Date.now();
        const res = await run(r.argv(path), env);
        const a = await waitAlert(env, from, (x) => x.decoy.path === path && x.how === "read", 1000);
        expect(a, `${r.name}: no alert (${res.stderr})`).toBeDefined();
        expect(Date.parse(a?.time ?? "") - t0).toBeLessThan(1000);
        expect(a?.mechanism).toBe("lease");
        if (r.named) {
          expect(a?.attribution).toBe("exact");
          expect(a?.process?.pid).toBe(res.pid);
          expect(res.code === 0 || (r.tool === "grep" && res.code === 1)).toBe(true);
        } else expect(a?.detail).toMatch(/non-blocking open was refused/);
      },
    );
  }

  it("ls, stat and find -name read no decoy, so they give no alert", async () => {
    const from = alertsEnd(env);
    for (const argv of [
      ["ls", "-la", home, join(home, ".aws"), join(home, ".ssh")],
      ["stat", decoy(".aws/credentials.bak"), decoy(".npmrc.bak")],
      ["find", home, "-name", "*.bak"],
      ["test", "-r", decoy(".netrc.old")],
    ]) {
      expect((await run(argv, env)).code).toBe(0);
    }
    await sleep(1200);
    expect(await waitAlert(env, from, () => true, 0)).toBeUndefined();
  });

  it("a frozen helper (SIGSTOP) is replaced: the reader waits seconds at most, never the kernel's 45 s", async () => {
    const helper = readWatcherStatus(env)?.helperPid as number;
    process.kill(helper, "SIGSTOP");
    try {
      const res = await run(["cat", decoy(".aws/credentials.bak")], env);
      expect(res.code).toBe(0);
      expect(res.ms).toBeLessThan(8000);
    } finally {
      if (alive(helper)) process.kill(helper, "SIGCONT");
    }
    const again = await waitFor(() => {
      const s = readWatcherStatus(env);
      return s?.helperPid && s.helperPid !== helper && s.ready ? s : undefined;
    }, 5000);
    expect(again, "the watcher did not start a new helper").toBeDefined();
    const from = alertsEnd(env);
    const res = await run(["cat", decoy(".aws/credentials.bak")], env);
    expect((await waitAlert(env, from, (x) => x.process?.pid === res.pid, 1000))?.mechanism).toBe("lease");
  });

  it("a stopped watcher exits within 1 s, takes its helper along, and leaves every reader free", async () => {
    const helper = readWatcherStatus(env)?.helperPid;
    const w = watcher as ChildProcess;
    const exited = new Promise((r) => w.once("exit", r));
    const t0 = Date.now();
    w.kill("SIGTERM");
    await exited;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await waitFor(() => (alive(helper) ? undefined : true), 1000)).toBe(true);
    expect(readWatcherStatus(env)).toBeUndefined();
    for (const f of [".aws/credentials.bak", ".npmrc.bak", ".ssh/prod_db_ed25519"]) {
      const res = await run(["cat", decoy(f)], env);
      expect(res.code).toBe(0);
      expect(res.ms).toBeLessThan(500);
    }
    // No lease is left on any decoy (other users' leases may be listed too: match our inodes).
    const locks = readFileSync("/proc/locks", "utf8")
      .split("\n")
      .filter((l) => l.includes("LEASE"));
    for (const f of readers.map((r) => decoy(r.file)))
      expect(
        locks.filter((l) => l.includes(`:${statSync(f).ino} `)),
        f,
      ).toEqual([]);
  });

  it("a killed watcher (SIGKILL) leaves nothing blocked either", async () => {
    watcher = await startWatcher();
    const helper = readWatcherStatus(env)?.helperPid;
    watcher.kill("SIGKILL");
    expect(
      await waitFor(() => (alive(helper) ? undefined : true), 2000),
      "the helper outlived its watcher",
    ).toBe(true);
    const res = await run(["cat", decoy(".git-credentials")], env);
    expect(res.code).toBe(0);
    expect(res.ms).toBeLessThan(500);
  });
});

describe("guard canary watch --atime (the fallback without Python or leases)", () => {
  it(
    "notices a read within about a second, not its own re-arming, and no ls/stat",
    { timeout: 30_000 },
    async (t) => {
      const { home, env } = makeHome();
      const guard = await guardBinary();
      plant({ env, guard, kinds: ["npm"] });
      const w = spawn(guard[0] as string, [...guard.slice(1), "canary", "watch", "--atime"], {
        env,
        stdio: "ignore",
      });
      try {
        const s = await waitFor(() => {
          const st = readWatcherStatus(env);
          return st && st.pid === w.pid && st.ready ? st : undefined;
        }, 10_000);
        const path = join(home, ".npmrc.bak");
        if (s?.files[path] !== "atime")
          t.skip(`atime cannot be watched here: ${s?.errors[path] ?? "unknown"}`);
        const from = alertsEnd(env);
        await sleep(2500); // two polls: re-arming must not alert
        expect((await run(["stat", path], env)).code).toBe(0);
        expect((await run(["ls", "-la", home], env)).code).toBe(0);
        await sleep(1500);
        expect(await waitAlert(env, from, () => true, 0)).toBeUndefined();
        const res = await run(["cat", path], env);
        const a = await waitAlert(env, from, (x) => x.decoy.path === path, 2500);
        expect(a).toMatchObject({ how: "read", mechanism: "atime", attribution: "none" });
        expect(res.code).toBe(0);
        const again = alertsEnd(env);
        await sleep(1200);
        await run(["head", "-c1", path], env);
        expect(
          await waitAlert(env, again, (x) => x.decoy.path === path, 2500),
          "re-armed after the first read",
        ).toBeDefined();
      } finally {
        w.kill("SIGTERM");
      }
    },
  );
});

describe.skipIf(!CAN_WATCH)("guard canary watch --no-lease (inotify only: tar backups keep working)", () => {
  it(
    "tar succeeds and still alerts; a reader that keeps the file open is named",
    { timeout: 30_000 },
    async () => {
      const { home, env } = makeHome();
      const guard = await guardBinary();
      plant({ env, guard, kinds: ["netrc"] });
      const w = spawn(guard[0] as string, [...guard.slice(1), "canary", "watch", "--no-lease"], {
        env,
        stdio: "ignore",
      });
      try {
        const path = join(home, ".netrc.old");
        const s = await waitFor(() => {
          const st = readWatcherStatus(env);
          return st && st.pid === w.pid && st.ready ? st : undefined;
        }, 10_000);
        expect(s?.files[path]).toBe("inotify");
        let from = alertsEnd(env);
        const tar = await run(["tar", "cf", join(home, "backup.tar"), "-C", home, ".netrc.old"], env);
        expect(tar.code).toBe(0);
        expect(await waitAlert(env, from, (x) => x.decoy.path === path, 1000)).toMatchObject({
          mechanism: "inotify",
        });
        from = alertsEnd(env);
        const holder = await run(["sh", "-c", `exec 3<"${path}"; sleep 0.5`], env);
        const a = await waitAlert(env, from, (x) => x.decoy.path === path, 1000);
        expect(a?.process?.pid).toBe(holder.pid);
      } finally {
        w.kill("SIGTERM");
      }
    },
  );
});

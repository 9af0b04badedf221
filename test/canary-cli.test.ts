// The `guard canary` commands end to end, as a user runs them: plant, watch --detach, test, status,
// alerts, remove; in a throwaway HOME.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pendingAlerts } from "../src/canary/index.ts";
import type { LayerResult } from "../src/canary/selftest.ts";
import type { CanaryStatus } from "../src/canary/status.ts";
import type { CanaryAlert } from "../src/canary/types.ts";
import { readWatcherStatus } from "../src/canary/watch/control.ts";
import { guardBinary, has, makeHome, snapshot, waitFor, removeTemp } from "./fixtures/canary-helpers.ts";

// Registered first, so it runs after every other afterAll of this file (they stop watchers).
afterAll(removeTemp);

const CAN_WATCH = process.platform === "linux" && has("python3");
const { home, env } = makeHome();
let guard: string[] = [];

function canary(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(guard[0] as string, [...guard.slice(1), "canary", ...args], {
    env,
    encoding: "utf8",
    cwd: home,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = <T>(args: string[]): T => JSON.parse(canary(...args, "--json").stdout) as T;

beforeAll(async () => {
  guard = await guardBinary();
});

afterAll(() => {
  const s = readWatcherStatus(env);
  if (s) process.kill(s.pid, "SIGKILL");
});

describe("guard canary (CLI)", () => {
  // guard's own state and settings (alerts, canary.json) stay: they are not the user's files.
  const state = [join(home, ".local"), join(home, ".config")];
  let before: ReturnType<typeof snapshot> = {};

  it("plant reports what it planted and says the watcher is needed for reads", () => {
    before = snapshot(home, state);
    const r = canary("plant", "--kinds", "aws,kube,npm");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("planted  ~/.aws/credentials.bak\n");
    expect(r.stdout).toContain("planted  ~/.kube/kubectl-oidc_login  (tripwire: kube)\n");
    expect(r.stdout).toContain("guard canary watch --detach");
    const s = json<CanaryStatus>(["status"]);
    expect(s.decoys.map((d) => d.state)).toEqual(["intact", "intact", "intact", "intact", "intact"]);
    expect(s.watcher).toBeUndefined();
    expect(canary("plant", "--kinds", "aws").stdout).toMatch(/aws decoys are already planted/);
  });

  it("rejects unknown kinds and bad webhooks with a message", () => {
    const r = canary("plant", "--kinds", "aws,ftp");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown kind ftp; kinds are aws, ssh, kube/);
    expect(canary("config", "--webhook", "ftp://x").stderr).toMatch(/http or https/);
    expect(canary("config", "--webhook", "http://127.0.0.1:9/h", "--desktop", "off").stdout).toBe(
      "webhook: http://127.0.0.1:9/h\ndesktop: off\n",
    );
    expect(canary("config", "--no-webhook").stdout).toBe("webhook: none\ndesktop: off\n");
  });

  it.skipIf(!CAN_WATCH)(
    "watch --detach arms a lease on every watched decoy, and picks up decoys planted later",
    async () => {
      const r = canary("watch", "--detach");
      expect(r.stdout).toMatch(/^watching, pid \d+: 3 by lease\n$/);
      expect(canary("watch", "--detach").stdout).toMatch(/already running/);
      canary("plant", "--kinds", "netrc");
      const s = await waitFor(() => {
        const st = json<CanaryStatus>(["status"]);
        return st.decoys.find((d) => d.decoy.kind === "netrc")?.backend === "lease" ? st : undefined;
      }, 5000);
      expect(s, "the watcher did not pick up the new decoy").toBeDefined();
      expect(canary("status").stdout).toMatch(/Watcher: running, pid \d+ since .*; 4 file\(s\) watched/);
    },
  );

  it.skipIf(!CAN_WATCH)("test shows each layer alerting, and its alerts are marked as tests", () => {
    const r = canary("test", "--json");
    const results = JSON.parse(r.stdout) as LayerResult[];
    const by = (layer: string) => results.filter((x) => x.layer === layer);
    expect(by("L1 tripwire").map((x) => x.outcome)).toEqual(["ok", "ok"]);
    expect(by("L2 watcher").map((x) => x.outcome)).toEqual(["ok", "ok", "ok", "ok"]);
    for (const x of by("L2 watcher")) expect(x.detail).toMatch(/alert by lease after \d+ ms, names the cat/);
    expect(by("L0 hook/check")).toHaveLength(4);
    const alerts = json<CanaryAlert[]>(["alerts"]);
    expect(alerts.length).toBeGreaterThanOrEqual(6);
    expect(alerts.every((a) => a.test)).toBe(true);
    expect(pendingAlerts(env)).toEqual([]);
    expect(canary("alerts").stdout).toMatch(/\[test\] ~\/.aws\/credentials.bak read by pid \d+ \(cat /);
  });

  it("remove stops the watcher and restores the home byte for byte", () => {
    const r = canary("remove");
    expect(r.code).toBe(0);
    if (CAN_WATCH) expect(r.stdout).toMatch(/^stopped the watcher\n/);
    expect(r.stdout).toContain("removed  ~/.aws/credentials.bak\n");
    expect(readWatcherStatus(env)).toBeUndefined();
    expect(snapshot(home, state)).toEqual(before);
    expect(canary("status").stdout).toMatch(/^No decoys planted/);
  });
});

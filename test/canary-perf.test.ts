// What the read watcher costs: memory and CPU at idle, and the delay it adds to a reader of a decoy
// (and to a reader of any other file: none). Prints the numbers; asserts generous bounds.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { plant } from "../src/canary/plant.ts";
import { readWatcherStatus } from "../src/canary/watch/control.ts";
import { guardBinary, has, makeHome, sleep, waitFor, removeTemp } from "./fixtures/canary-helpers.ts";

// Registered first, so it runs after every other afterAll of this file (they stop watchers).
afterAll(removeTemp);

const CAN_WATCH = process.platform === "linux" && has("python3");

function rssKb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
}

/** utime + stime, in clock ticks (1/100 s on Linux). */
function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return Number(f[11]) + Number(f[12]);
}

async function catTimes(path: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = spawnSync("cat", [path], { stdio: ["ignore", "ignore", "ignore"] });
    out.push(performance.now() - t0);
    expect(r.status).toBe(0);
    await sleep(60); // lets the watcher re-arm its lease, so every run meets one
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] as number;

describe.skipIf(!CAN_WATCH)("guard canary watch: cost (Linux, python3)", () => {
  let watcher: ChildProcess | undefined;
  afterAll(() => watcher?.kill("SIGTERM"));

  it(
    "idles at near zero CPU in bounded memory, and delays only reads of decoys, by milliseconds",
    { timeout: 90_000 },
    async () => {
      const { home, env } = makeHome();
      const guard = await guardBinary();
      plant({ env, guard });
      const decoy = join(home, ".aws", "credentials.bak");
      const plain = join(home, "notes.txt");
      writeFileSync(plain, "not a decoy\n");
      const before = { decoy: await catTimes(decoy, 30), plain: await catTimes(plain, 30) };

      watcher = spawn(guard[0] as string, [...guard.slice(1), "canary", "watch"], { env, stdio: "ignore" });
      const s = await waitFor(() => {
        const st = readWatcherStatus(env);
        return st?.ready && st.helperPid ? st : undefined;
      }, 10_000);
      const pids = [s?.pid as number, s?.helperPid as number];
      await sleep(2000);
      const ticks0 = pids.map(cpuTicks);
      await sleep(10_000);
      const idleTicks = pids.map((p, i) => cpuTicks(p) - (ticks0[i] as number));
      const rss = pids.map(rssKb);
      const after = { decoy: await catTimes(decoy, 30), plain: await catTimes(plain, 30) };

      const ms = (x: number) => `${x.toFixed(1)} ms`;
      console.log(
        [
          "guard canary watch, 10 decoys watched by lease:",
          `  idle RSS: watcher (node) ${((rss[0] as number) / 1024) | 0} MB, lease helper (python) ${((rss[1] as number) / 1024) | 0} MB`,
          `  idle CPU over 10 s: watcher ${idleTicks[0]} ticks, helper ${idleTicks[1]} ticks (1 tick = 10 ms)`,
          `  cat of a decoy: median ${ms(median(before.decoy))} without the watcher, ${ms(median(after.decoy))} with it (p95 ${ms(p95(after.decoy))})`,
          `  cat of another file: median ${ms(median(before.plain))} without, ${ms(median(after.plain))} with`,
        ].join("\n"),
      );
      expect((rss[0] as number) + (rss[1] as number)).toBeLessThan(160 * 1024);
      expect((idleTicks[0] as number) + (idleTicks[1] as number)).toBeLessThan(50);
      expect(median(after.decoy) - median(before.decoy)).toBeLessThan(50);
      expect(median(after.plain) - median(before.plain)).toBeLessThan(10);
    },
  );
});

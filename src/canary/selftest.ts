// `guard canary test`: touches every decoy in a controlled way and shows that each layer alerts.
// L0: `guard check` denies a command naming it. L1: its tripwire, run the way its tool runs it,
// answers in protocol, writes nothing to stderr, and alerts naming this process. L2: `cat` of it
// alerts within a second, naming the cat. The alerts are recorded, marked as tests.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { readAlerts } from "./alerts.ts";
import { tilde } from "./format.ts";
import { readInventory } from "./inventory.ts";
import { canaryPaths, ensureDir, writeAtomic } from "./paths.ts";
import type { CanaryAlert, Decoy } from "./types.ts";
import { readWatcherStatus } from "./watch/control.ts";

export interface LayerResult {
  readonly layer: "L0 hook/check" | "L1 tripwire" | "L2 watcher";
  readonly path: string;
  readonly outcome: "ok" | "failed" | "skipped";
  readonly detail: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitAlert(
  env: NodeJS.ProcessEnv,
  from: number,
  match: (a: CanaryAlert) => boolean,
  ms: number,
): Promise<CanaryAlert | undefined> {
  const until = Date.now() + ms;
  do {
    const a = readAlerts(env, from).alerts.find(match);
    if (a) return a;
    await sleep(20);
  } while (Date.now() < until);
  return undefined;
}

function checkLayer(d: Decoy, guard: readonly string[], env: NodeJS.ProcessEnv): LayerResult {
  const [cmd = "guard", ...args] = guard;
  const r = spawnSync(cmd, [...args, "check", "--json", "--", `cat ${d.path}`], {
    env,
    encoding: "utf8",
    timeout: 10_000,
  });
  let verdict: { decision?: string; rules?: { id: string }[] } = {};
  try {
    verdict = JSON.parse(r.stdout) as typeof verdict;
  } catch {
    return {
      layer: "L0 hook/check",
      path: d.path,
      outcome: "failed",
      detail: `guard check gave no verdict (${(r.stderr || r.error?.message || "").trim().slice(0, 200)})`,
    };
  }
  const rules = (verdict.rules ?? []).map((x) => x.id);
  if (rules.includes("credentials.touched"))
    return {
      layer: "L0 hook/check",
      path: d.path,
      outcome: "ok",
      detail: `\`cat\` of it is denied (credentials.touched)`,
    };
  const other =
    verdict.decision === "deny"
      ? `denied by ${rules.join(", ")}, but not as a decoy`
      : `not denied (${verdict.decision})`;
  return {
    layer: "L0 hook/check",
    path: d.path,
    outcome: "failed",
    detail: `\`cat\` of it is ${other}: guard check does not read the decoy index`,
  };
}

const TRIP_RUN: Record<
  string,
  {
    args: string[];
    env?: Record<string, string>;
    stdin?: string;
    exit: number;
    stdout: (s: string) => boolean;
  }
> = {
  aws: { args: ["--profile", "prod-admin"], exit: 1, stdout: (s) => s === "" },
  kube: {
    args: [],
    env: {
      KUBERNETES_EXEC_INFO:
        '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","spec":{"interactive":false}}',
    },
    exit: 0,
    stdout: (s) => /"kind":"ExecCredential".*"token":"/.test(s),
  },
  ssh: { args: ["prod-db-01", "22"], exit: 0, stdout: (s) => s === "" },
  docker: { args: ["get"], stdin: "registry.example\n", exit: 0, stdout: (s) => /"Secret":/.test(s) },
};

async function tripLayer(d: Decoy, env: NodeJS.ProcessEnv): Promise<LayerResult> {
  const how = TRIP_RUN[d.trip ?? ""];
  if (!how) return { layer: "L1 tripwire", path: d.path, outcome: "skipped", detail: "no protocol" };
  const from = readAlerts(env).end;
  const r = spawnSync(d.path, how.args, {
    env: { ...env, ...how.env },
    input: how.stdin ?? "",
    encoding: "utf8",
    timeout: 10_000,
  });
  const problems: string[] = [];
  if (r.error) problems.push(`cannot run it: ${r.error.message}`);
  if (r.status !== how.exit) problems.push(`exit ${r.status}, expected ${how.exit}`);
  if (r.stderr) problems.push(`wrote to stderr: ${r.stderr.trim().slice(0, 120)}`);
  if (!how.stdout(r.stdout ?? "")) problems.push(`unexpected answer: ${(r.stdout ?? "").slice(0, 120)}`);
  const a = await waitAlert(
    env,
    from,
    (x) => x.mechanism === "tripwire" && x.process?.pid === process.pid,
    2000,
  );
  if (!a) problems.push("no alert naming this process");
  return problems.length
    ? { layer: "L1 tripwire", path: d.path, outcome: "failed", detail: problems.join("; ") }
    : {
        layer: "L1 tripwire",
        path: d.path,
        outcome: "ok",
        detail: `${d.trip} protocol answered, stderr empty, alert names pid ${a?.process?.pid}`,
      };
}

async function watchLayer(d: Decoy, env: NodeJS.ProcessEnv): Promise<LayerResult> {
  const from = readAlerts(env).end;
  const started = Date.now();
  const child = spawn("cat", [d.path], { stdio: ["ignore", "ignore", "ignore"] });
  const exited = new Promise<number | null>((res) =>
    child.on("exit", (code) => res(code)).on("error", () => res(null)),
  );
  const a = await waitAlert(env, from, (x) => x.how === "read" && x.decoy.path === d.path, 2500);
  const code = await exited;
  if (!a)
    return {
      layer: "L2 watcher",
      path: d.path,
      outcome: "failed",
      detail: `no alert within 2.5 s of \`cat\` (cat exited ${code})`,
    };
  const named =
    a.process?.pid === child.pid ? `names the cat (pid ${child.pid})` : "does not name the reader";
  return {
    layer: "L2 watcher",
    path: d.path,
    outcome: "ok",
    detail: `alert by ${a.mechanism} after ${Date.parse(a.time) - started} ms, ${named}`,
  };
}

export async function selfTest(
  guard: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<LayerResult[]> {
  const p = canaryPaths(env);
  const decoys = readInventory(env).decoys.filter((d) => !d.pending);
  ensureDir(p.dir);
  writeAtomic(p.testRun, JSON.stringify({ pid: process.pid, until: Date.now() + 10 * 60_000 }) + "\n");
  const out: LayerResult[] = [];
  try {
    for (const d of decoys.filter((x) => x.role !== "tripwire")) out.push(checkLayer(d, guard, env));
    for (const d of decoys.filter((x) => x.trip)) out.push(await tripLayer(d, env));
    const watching = readWatcherStatus(env);
    for (const d of decoys.filter((x) => x.watch)) {
      if (!watching)
        out.push({
          layer: "L2 watcher",
          path: d.path,
          outcome: "skipped",
          detail: "the watcher is not running (guard canary watch --detach)",
        });
      else if (!watching.files[d.path] || watching.files[d.path] === "none")
        out.push({
          layer: "L2 watcher",
          path: d.path,
          outcome: "failed",
          detail: `not watched: ${watching.errors[d.path] ?? "no back end"}`,
        });
      else out.push(await watchLayer(d, env));
    }
  } finally {
    rmSync(p.testRun, { force: true });
  }
  return out;
}

export function selfTestText(results: readonly LayerResult[], home?: string): string {
  if (!results.length) return "No decoys planted: nothing to test.\n";
  return (
    results
      .map((r) => `${r.outcome.padEnd(7)} ${r.layer.padEnd(14)} ${tilde(r.path, home)}: ${r.detail}`)
      .join("\n") + "\n"
  );
}

// npm run bench: the whole hook and check processes against `node -e 0` in the same run (interleaved,
// median and p95, peak memory), and --batch throughput. Prints ratios; asserts nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const guard = join(root, "bin", "guard");
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const home = mkdtempSync(join(tmpdir(), "guard-bench-"));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_STATE_HOME: join(home, "state"),
  XDG_CONFIG_HOME: join(home, "config"),
};
const payload = JSON.stringify({
  session_id: "bench",
  transcript_path: "/tmp/t.jsonl",
  cwd: root,
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: {
    command: "git status && npm test -- --reporter=dot | tee test.log",
    description: "Run tests",
  },
  tool_use_id: "toolu_bench",
});
const timeBin = ["/usr/bin/time"].find((p) => existsSync(p));

// A hook call or a check is answered by guard's judgment server when one is running (the usual case: the
// first hook call starts it) and judged in its own process otherwise; both are measured.
const cases = {
  "node -e 0": { argv: ["-e", "0"] },
  "guard hook (server)": { argv: [guard, "hook", "claude-code"], input: payload },
  "guard hook (no server)": {
    argv: [guard, "hook", "claude-code"],
    input: payload,
    env: { ...env, GUARD_SERVER: "off" },
  },
  "guard check (server)": {
    argv: [guard, "check", "--json", "--", "git status && npm test -- --reporter=dot | tee test.log"],
  },
  "guard check (no server)": {
    argv: [guard, "check", "--json", "--", "git status && npm test -- --reporter=dot | tee test.log"],
    env: { ...env, GUARD_SERVER: "off" },
  },
};

function once(c) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.argv, {
    input: c.input ?? "",
    env: c.env ?? env,
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.argv.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function peakKb(c) {
  if (!timeBin) return undefined;
  const r = spawnSync(timeBin, ["-f", "%M", process.execPath, ...c.argv], {
    input: c.input ?? "",
    env: c.env ?? env,
    encoding: "utf8",
  });
  const kb = Number(r.stderr.trim().split("\n").pop());
  return Number.isFinite(kb) ? kb : undefined;
}

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95) };
};

// Warm the code cache and the file cache (and start the server), then interleave so machine noise hits
// every case alike.
for (const c of Object.values(cases)) for (let i = 0; i < 3; i++) once(c);
const pidFile = join(env.XDG_STATE_HOME, "guard", "server", "pid");
const warmFile = join(env.XDG_STATE_HOME, "guard", "server", "warm");
for (let i = 0; i < 200 && !existsSync(warmFile); i++) spawnSync("sleep", ["0.05"]);
const serverPid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : undefined;
if (!serverPid) console.log("(the judgment server did not start: the server case is judged in-process)");
for (let i = 0; i < 3; i++) once(cases["guard hook (server)"]);
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < rounds; i++) for (const [k, c] of Object.entries(cases)) times[k].push(once(c));
const mem = Object.fromEntries(
  Object.entries(cases).map(([k, c]) => [k, stat([0, 1, 2].map(() => peakKb(c) ?? NaN)).median]),
);

const base = stat(times["node -e 0"]);
console.log(`whole process, ${rounds} interleaved rounds (ms):`);
for (const k of Object.keys(cases)) {
  const s = stat(times[k]);
  const m = mem[k];
  const memText = Number.isFinite(m)
    ? `  peak RSS ${(m / 1024).toFixed(1)} MB (${(m / mem["node -e 0"]).toFixed(2)}x node)`
    : "";
  console.log(
    `  ${k.padEnd(24)} median ${s.median.toFixed(1)}  p95 ${s.p95.toFixed(1)}  (+${(s.median - base.median).toFixed(1)} ms median, +${(s.p95 - base.p95).toFixed(1)} ms p95 over node)${memText}`,
  );
}

if (serverPid) {
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${serverPid}/status`, "utf8"))?.[1];
  console.log(
    `  the judgment server (pid ${serverPid}) holds ${(Number(rss) / 1024).toFixed(1)} MB resident`,
  );
  process.kill(serverPid, "SIGTERM");
}

// Batch throughput: the accuracy corpus, repeated to 20,000 commands, through one `guard check --batch`.
const corpusDir = join(root, "test", "corpus");
const cmds = readdirSync(corpusDir)
  .filter((f) => f.endsWith(".jsonl"))
  .flatMap((f) =>
    readFileSync(join(corpusDir, f), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l).cmd),
  );
const n = 20000;
const lines =
  Array.from({ length: n }, (_, i) => JSON.stringify({ command: cmds[i % cmds.length] })).join("\n") + "\n";
const t0 = process.hrtime.bigint();
const r = spawnSync(process.execPath, [guard, "check", "--batch"], {
  input: lines,
  env,
  encoding: "utf8",
  maxBuffer: 1 << 30,
});
const sec = Number(process.hrtime.bigint() - t0) / 1e9;
const out = r.stdout.split("\n").filter(Boolean).length;
console.log(
  `batch: ${out} of ${n} commands judged in ${sec.toFixed(2)} s = ${Math.round(n / sec)} commands/s (whole process, JSON in and out)`,
);
// In-process throughput: the same engine, judging the same 20,000 commands without process or JSON overhead.
const { devEngine } = await import("../scripts/dev-engine.mjs");
const dev = await devEngine();
// The context of a machine with nothing planted (the example context carries decoys for the rule examples),
// made once and used for every command, as `check --batch` does.
const plain = { ...dev.EXAMPLE_CONTEXT, decoys: undefined };
for (let i = 0; i < 4000; i++) dev.evaluate(cmds[i % cmds.length], plain, dev.engine);
const t1 = process.hrtime.bigint();
for (let i = 0; i < n; i++) dev.evaluate(cmds[i % cmds.length], plain, dev.engine);
const sec1 = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(
  `in-process: ${n} commands judged in ${sec1.toFixed(2)} s = ${Math.round(n / sec1)} commands/s (${((sec1 / n) * 1e6).toFixed(1)} µs a command)`,
);
rmSync(home, { recursive: true, force: true });

// guard doctor: is guard installed, registered, trusted and working? One row per check.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { hostStatus, type HostName, type Scope } from "../act/install/install.ts";
import { codexHome } from "../act/guard-paths.ts";
import { serverDir, stateDir } from "../config/paths.ts";
import { gitRoot } from "../act/context.ts";

export interface Check {
  readonly name: string;
  readonly ok: boolean | "warn";
  readonly detail: string;
}

function hookSelfTest(bin: string): Check {
  const payload = JSON.stringify({
    session_id: "doctor",
    cwd: "/",
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command: "rm -rf /" },
  });
  const r = spawnSync(process.execPath, [bin, "hook", "claude-code"], {
    input: payload,
    encoding: "utf8",
    timeout: 15_000,
    env: { ...process.env, GUARD_DOCTOR: "1" },
  });
  const denied = r.status === 0 && /"permissionDecision":"deny"/.test(r.stdout ?? "");
  return {
    name: "hook self-test",
    ok: denied,
    detail: denied
      ? "`rm -rf /` through the hook is denied"
      : `unexpected result (exit ${r.status}): ${(r.stdout || r.stderr || "").slice(0, 200)}`,
  };
}

function serverCheck(env: NodeJS.ProcessEnv): Check {
  const name = "judgment server";
  if (env["GUARD_SERVER"] === "off")
    return { name, ok: true, detail: "off (GUARD_SERVER=off): each hook call is judged in its own process" };
  const dir = serverDir(env);
  try {
    const pid = Number(readFileSync(join(dir, "pid"), "utf8"));
    process.kill(pid, 0);
    return { name, ok: true, detail: `running (pid ${pid}) in ${dir}` };
  } catch {
    return { name, ok: true, detail: "not running: the next hook call starts it" };
  }
}

export async function doctorChecks(
  opts: { project?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Check[]> {
  const checks: Check[] = [];
  const major = Number(process.versions.node.split(".")[0]);
  checks.push({
    name: "node",
    ok: major >= 20,
    detail: `node ${process.version}${major >= 20 ? "" : " (guard needs 20 or newer)"}`,
  });
  const bin = resolve(process.argv[1] ?? "guard");
  const dist = resolve(bin, "..", "..", "dist");
  const bundles = ["fast.cjs", "cli.cjs", "config.cjs"].filter((f) => !existsSync(join(dist, f)));
  checks.push({
    name: "bundles",
    ok: bundles.length === 0,
    detail: bundles.length
      ? `missing in ${dist}: ${bundles.join(", ")} (run npm run build)`
      : `present in ${dist}`,
  });
  const { loadEngine } = await import("./engine.ts");
  const cwd = process.cwd();
  const project = opts.project ? resolve(opts.project) : (gitRoot(cwd) ?? cwd);
  const loaded = loadEngine(project, env);
  checks.push({
    name: "rules",
    ok: loaded.engine.set.rules.length > 0,
    detail: `${loaded.engine.set.rules.length} rules loaded`,
  });
  checks.push({
    name: "config",
    ok: !loaded.configError,
    detail: loaded.configError ?? "user and project config load",
  });
  const hosts: [HostName, Scope][] = [
    ["claude-code", { kind: "user" }],
    ["codex", { kind: "user" }],
  ];
  if (opts.project || existsSync(join(project, ".claude")) || existsSync(join(project, ".codex"))) {
    hosts.push(
      ["claude-code", { kind: "project", dir: project }],
      ["codex", { kind: "project", dir: project }],
    );
  }
  let anyRegistered = false;
  for (const [host, scope] of hosts) {
    const s = hostStatus(host, scope, env);
    const where = scope.kind === "user" ? "user" : "project";
    const present =
      host === "codex" ? existsSync(codexHome(env)) : existsSync(join(env["HOME"] || "/", ".claude"));
    if (!s.registered) {
      if (scope.kind === "user")
        checks.push({
          name: `${host} (${where})`,
          ok: present ? false : "warn",
          detail: `${s.file}: guard is not registered${present ? "" : " (host not found)"} — run guard install ${host}`,
        });
      continue;
    }
    anyRegistered = true;
    if (host === "codex")
      checks.push({
        name: `${host} (${where})`,
        ok: s.trusted === true,
        detail: s.trusted
          ? `${s.file}: registered and trusted`
          : `${s.file}: registered but NOT trusted, so Codex skips it — run guard install codex again`,
      });
    else checks.push({ name: `${host} (${where})`, ok: true, detail: `${s.file}: registered` });
  }
  if (!anyRegistered)
    checks.push({ name: "registration", ok: false, detail: "guard is not registered with any agent host" });
  const state = stateDir(env);
  try {
    mkdirSync(state, { recursive: true, mode: 0o700 });
    accessSync(state, constants.W_OK);
    checks.push({ name: "audit location", ok: true, detail: `${state} is writable` });
  } catch (e) {
    checks.push({ name: "audit location", ok: false, detail: `${state}: ${(e as Error).message}` });
  }
  checks.push(hookSelfTest(bin));
  checks.push(serverCheck(env));
  return checks;
}

export async function runDoctor(opts: { json: boolean; project?: string }): Promise<number> {
  const checks = await doctorChecks(opts);
  const failed = checks.some((c) => c.ok === false);
  if (opts.json) process.stdout.write(JSON.stringify({ ok: !failed, checks }) + "\n");
  else {
    const width = Math.max(...checks.map((c) => c.name.length));
    for (const c of checks)
      process.stdout.write(
        `${c.ok === true ? "ok  " : c.ok === "warn" ? "warn" : "FAIL"}  ${c.name.padEnd(width)}  ${c.detail}\n`,
      );
  }
  return failed ? 1 : 0;
}

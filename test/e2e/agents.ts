// Drives the real Claude Code and Codex CLIs, offline, against the shared mock model server, with guard
// registered by `guard install` into a throwaway HOME. Mirrors ../shared/harness (see its README).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GUARD, ROOT } from "../build.ts";

export const HARNESS = resolve(ROOT, "..", "shared", "harness");
export const DEPS =
  process.env["HARNESS_DEPS"] ?? join(process.env["TMPDIR"] ?? "/tmp", "guard-harness-deps");
export const CLAUDE = join(DEPS, "node_modules", ".bin", "claude");
export const CODEX = join(DEPS, "node_modules", ".bin", "codex");

export function clientsAvailable(): string | undefined {
  if (!existsSync(join(HARNESS, "mock-server.mjs"))) return `no harness at ${HARNESS}`;
  if (!existsSync(CLAUDE) || !existsSync(CODEX))
    return `agent CLIs not installed in ${DEPS} (run: bash .ci/install-agents)`;
  return undefined;
}

export interface Workspace {
  readonly dir: string;
  readonly home: string;
  readonly project: string;
  readonly codexHome: string;
  readonly env: Record<string, string>;
}

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "guard-e2e-"));
  const home = join(dir, "home");
  const project = join(dir, "project");
  const codexHome = join(dir, "codex-home");
  for (const d of [home, project, codexHome]) mkdirSync(d, { recursive: true });
  spawnSync("git", ["init", "-q", project]);
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    CODEX_HOME: codexHome,
    TERM: "dumb",
    LANG: "C.UTF-8",
  };
  return { dir, home, project, codexHome, env };
}

export function guard(
  ws: Workspace,
  args: string[],
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [GUARD, ...args], {
    cwd: ws.project,
    env: ws.env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Mock {
  readonly port: number;
  readonly child: ChildProcess;
}

async function startMock(ws: Workspace, command: string, extra: Record<string, string>): Promise<Mock> {
  const portFile = join(ws.dir, `port-${Date.now()}-${Math.random()}`);
  const child = spawn(process.execPath, [join(HARNESS, "mock-server.mjs")], {
    env: {
      ...process.env,
      MOCK_COMMAND: command,
      MOCK_PORT_FILE: portFile,
      MOCK_LOG: join(ws.dir, "mock.jsonl"),
      ...extra,
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 200; i++) {
    if (existsSync(portFile) && readFileSync(portFile, "utf8").trim())
      return { port: Number(readFileSync(portFile, "utf8").trim()), child };
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill();
  throw new Error("mock server did not start");
}

function stopMock(m: Mock): void {
  if (m.child.pid && m.child.exitCode === null) m.child.kill("SIGTERM");
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runClaude(
  ws: Workspace,
  command: string,
  opts: { mode?: string; tool?: string; toolInput?: string } = {},
): Promise<RunResult> {
  const mock = await startMock(ws, command, {
    ...(opts.tool ? { MOCK_TOOL: opts.tool } : {}),
    ...(opts.toolInput ? { MOCK_TOOL_INPUT: opts.toolInput } : {}),
  });
  try {
    const mode = opts.mode ?? "default";
    const env: Record<string, string> = {
      ...ws.env,
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${mock.port}`,
      ANTHROPIC_API_KEY: "sk-ant-harness-dummy",
      DISABLE_TELEMETRY: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_ERROR_REPORTING: "1",
      DISABLE_BUG_COMMAND: "1",
      CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: "1",
      ...(mode === "bypassPermissions" && process.getuid?.() === 0 ? { IS_SANDBOX: "1" } : {}),
    };
    const r = spawnSync(
      CLAUDE,
      [
        "-p",
        "Run the test command.",
        "--output-format",
        "stream-json",
        "--verbose",
        "--permission-mode",
        mode,
      ],
      {
        cwd: ws.project,
        env,
        encoding: "utf8",
        input: "",
        timeout: 120_000,
      },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    stopMock(mock);
  }
}

export async function runCodex(
  ws: Workspace,
  command: string,
  opts: { tool?: string; toolInput?: string } = {},
): Promise<RunResult> {
  const mock = await startMock(ws, command, {
    ...(opts.tool ? { MOCK_TOOL: opts.tool } : {}),
    ...(opts.toolInput ? { MOCK_TOOL_INPUT: opts.toolInput } : {}),
  });
  try {
    const config = join(ws.codexHome, "config.toml");
    const existing = existsSync(config) ? readFileSync(config, "utf8") : "";
    const base = `model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[model_providers.mock]
name = "Mock"
base_url = "http://127.0.0.1:${mock.port}/v1"
wire_api = "responses"
env_key = "MOCK_API_KEY"
request_max_retries = 0
stream_max_retries = 0

[features]
plugins = false

[analytics]
enabled = false

[feedback]
enabled = false

[otel]
exporter = "none"
`;
    // Keep what guard install wrote (the trust records) after the base settings.
    const kept = existing.includes("[hooks.state.") ? existing.slice(existing.indexOf("[hooks.state.")) : "";
    writeFileSync(config, base + "\n" + kept);
    const r = spawnSync(CODEX, ["exec", "--json", "--skip-git-repo-check", "Run the test command."], {
      cwd: ws.project,
      env: { ...ws.env, MOCK_API_KEY: "harness-dummy", RUST_LOG: "error" },
      encoding: "utf8",
      input: "",
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    stopMock(mock);
  }
}

/** guard's state directory in the workspace (no XDG_STATE_HOME: under HOME, as for most users). */
export function stateDir(ws: Workspace): string {
  return join(ws.home, ".local", "state", "guard");
}

export function cleanup(ws: Workspace): void {
  // The judgment server that the hook calls started (guard's default) is stopped, by its pid.
  try {
    process.kill(Number(readFileSync(join(stateDir(ws), "server", "pid"), "utf8")), "SIGTERM");
  } catch {
    // None was running.
  }
  rmSync(ws.dir, { recursive: true, force: true });
}

// Shared by the exec, prompt and lockdown tests: a guard bundle with exec/shell/lockdown/unlock built in
// test setup, sandboxes with their own HOME and XDG directories, and a real terminal from tmux.
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { packsFromDir } from "../src/rules/disk.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds a guard CLI bundle with exec, shell, lockdown and unlock into a temp dir and returns its path.
 * The rule packs from rules/ are compiled in here, so the bundle does not depend on how the release
 * build embeds them.
 */
export async function buildGuard(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), "guard-bundle-"));
  const src = (p: string) => JSON.stringify(join(ROOT, p));
  const entry = `
    import { Command, CommanderError } from "commander";
    import { registerExec } from ${src("src/cli/exec-command.ts")};
    import { setPackSource } from ${src("src/cli/engine.ts")};
    declare const __EXEC_TEST_PACKS__: string;
    const packs = JSON.parse(__EXEC_TEST_PACKS__);
    setPackSource(() => packs);
    const program = new Command("guard").exitOverride();
    registerExec(program);
    program.parseAsync(process.argv).catch((e) => {
      if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
      else { process.stderr.write("guard: internal error: " + (e instanceof Error ? e.message : String(e)) + "\\n"); process.exitCode = 4; }
    });`;
  const bundle = join(out, "guard.cjs");
  await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: "ts", sourcefile: "exec-test-entry.ts" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: bundle,
    define: { __EXEC_TEST_PACKS__: JSON.stringify(JSON.stringify(packsFromDir(join(ROOT, "rules")))) },
    logLevel: "error",
  });
  return bundle;
}

/** Removes a bundle made by buildGuard. */
export function disposeGuard(bundle: string): void {
  if (bundle) rmSync(dirname(bundle), { recursive: true, force: true });
}

export interface Sandbox {
  readonly dir: string;
  readonly project: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stateDir: string;
  file(rel: string): string;
  cleanup(): void;
}

const TEST_RULES = `prompt:
  timeout: TIMEOUT
rules:
  - id: test.ask-rm
    decision: ask
    reason: test rule that asks before every rm
    match:
      command: [rm]
  - id: test.deny-shred
    decision: deny
    reason: test rule that denies every shred
    match:
      command: [shred]
`;

/** A fresh HOME, XDG config and state, and project directory; user config with test rules. */
export function sandbox(opts: { timeout?: number; bounds?: string } = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "guard-exec-"));
  const home = join(dir, "home");
  const config = join(dir, "config");
  const state = join(dir, "state");
  const project = join(dir, "project");
  for (const d of [home, join(config, "guard"), state, project]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(config, "guard", "config.yaml"),
    TEST_RULES.replace("TIMEOUT", String(opts.timeout ?? 60)),
  );
  if (opts.bounds) writeFileSync(join(config, "guard", "bounds.yaml"), opts.bounds);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: config,
    XDG_STATE_HOME: state,
    GUARD_MANAGED_CONFIG: join(dir, "managed", "config.yaml"),
    LANG: "C.UTF-8",
    TERM: "xterm",
    NO_COLOR: "1",
  };
  return {
    dir,
    project,
    env,
    stateDir: join(state, "guard"),
    file: (rel) => join(dir, rel),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function shq(s: string): string {
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** `export K=V; ...` for a shell inside the terminal. */
export function exports(env: NodeJS.ProcessEnv): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${shq(v ?? "")}`)
    .join("; ");
}

export function hasTmux(): boolean {
  return spawnSync("tmux", ["-V"]).status === 0;
}

/** Polls until `test` is true; fails after `ms` (a generous upper bound, never a timing assertion). */
export async function waitFor(test: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A real terminal: a detached tmux session on its own server socket, running `sh`. */
export class Terminal {
  private readonly socket: string;
  private readonly serverPid: number;
  readonly name = "t";
  constructor(dir: string) {
    this.socket = join(dir, "tmux.sock");
    const start = spawnSync(
      "tmux",
      [
        "-S",
        this.socket,
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        this.name,
        "-x",
        "200",
        "-y",
        "50",
        "sh",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, TMUX: "" },
      },
    );
    if (start.status !== 0)
      throw new Error(`cannot start tmux (these tests need it: apt-get install tmux): ${start.stderr}`);
    this.serverPid = Number(this.tmux("display-message", "-p", "#{pid}").trim());
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-S", this.socket, ...args], { encoding: "utf8" });
  }

  /** Types `text` and Enter. */
  run(text: string): void {
    this.tmux("send-keys", "-t", this.name, "-l", text);
    this.tmux("send-keys", "-t", this.name, "Enter");
  }

  type(text: string): void {
    this.tmux("send-keys", "-t", this.name, "-l", text);
  }

  keys(...keys: string[]): void {
    this.tmux("send-keys", "-t", this.name, ...keys);
  }

  screen(): string {
    return this.tmux("capture-pane", "-p", "-J", "-t", this.name, "-S", "-200");
  }

  async waitForScreen(re: RegExp, ms?: number): Promise<RegExpExecArray> {
    let m: RegExpExecArray | null = null;
    await waitFor(() => (m = re.exec(this.screen())) !== null, `${re} on the terminal`, ms);
    return m as unknown as RegExpExecArray;
  }

  kill(): void {
    spawnSync("tmux", ["-S", this.socket, "kill-server"], { stdio: "ignore" });
    try {
      process.kill(this.serverPid);
    } catch {
      // already gone
    }
  }
}

/** Runs a shell line in the terminal with stdout, stderr and the exit status captured to files. */
export function runInTerminal(
  term: Terminal,
  sb: Sandbox,
  tag: string,
  line: string,
): { out: string; err: string; rc: string } {
  const out = sb.file(`${tag}.out`);
  const err = sb.file(`${tag}.err`);
  const rc = sb.file(`${tag}.rc`);
  term.run(`(${line}) >${shq(out)} 2>${shq(err)}; echo $? >${shq(rc)}.tmp; mv ${shq(rc)}.tmp ${shq(rc)}`);
  return { out, err, rc };
}

export async function exitStatus(rcFile: string, ms?: number): Promise<number> {
  await waitFor(() => existsSync(rcFile), rcFile, ms);
  return Number(readFileSync(rcFile, "utf8").trim());
}

export function read(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

export interface Opened {
  sb: Sandbox;
  term?: Terminal;
}

/** A list whose sandboxes and terminals are closed after each test: every terminal first, since a sandbox's directory holds its tmux socket. */
export function closedAfterEach(): Opened[] {
  const open: Opened[] = [];
  afterEach(() => {
    const all = open.splice(0);
    for (const o of all) o.term?.kill();
    for (const o of all) o.sb.cleanup();
  });
  return open;
}

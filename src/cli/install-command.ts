// guard install | uninstall | doctor
import type { Command } from "commander";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import {
  hookTimeout,
  hostStatus,
  install,
  uninstall,
  type HostName,
  type Scope,
} from "../act/install/install.ts";
import { InstallError } from "../act/install/json-file.ts";
import { confirmOnTty, NEEDS_TTY } from "../act/confirm.ts";
import { DEFAULT_SETTINGS } from "../config/settings.ts";
import { stopServer } from "./serve.ts";
import { runDoctor } from "./doctor.ts";
import { record } from "../act/exec/record.ts";

function admin(command: string, reason: string, detail: Record<string, unknown>): void {
  record({ kind: "admin", host: "cli", cwd: process.cwd(), command, reason, detail });
}

const HOSTS: Record<string, HostName> = {
  "claude-code": "claude-code",
  claude: "claude-code",
  codex: "codex",
};

export function guardBinPath(): string {
  const entry = process.argv[1] ?? "guard";
  try {
    return realpathSync(entry);
  } catch {
    return resolve(entry);
  }
}

function scopeOf(opts: { user?: boolean; project?: string }): Scope {
  if (opts.user && opts.project) throw new InstallError("give --user or --project DIR, not both");
  return opts.project !== undefined ? { kind: "project", dir: opts.project } : { kind: "user" };
}

function hostOf(name: string): HostName {
  const h = HOSTS[name];
  if (!h) throw new InstallError(`unknown host "${name}" (known: claude-code, codex)`);
  return h;
}

export function registerInstall(program: Command): void {
  program
    .command("install")
    .description("register guard as the pre-tool hook of an agent host")
    .argument("<host>", "claude-code or codex")
    .option("--user", "in the user's settings (default)")
    .option("--project <dir>", "in a project's settings")
    .action(async (name: string, opts: { user?: boolean; project?: string }) => {
      const host = hostOf(name);
      const { loadEngine } = await import("./engine.ts");
      const settings = loadEngine(opts.project ? resolve(opts.project) : process.cwd()).settings;
      const strategy = settings.askStrategy[host] ?? DEFAULT_SETTINGS.askStrategy[host] ?? "tty";
      const report = install(
        host,
        scopeOf(opts),
        guardBinPath(),
        hookTimeout(host, settings.promptTimeout, strategy),
        process.env,
      );
      for (const l of report.lines) process.stdout.write(l + "\n");
    });
  program
    .command("uninstall")
    .description("remove guard's hook from an agent host (asks a human on the terminal)")
    .argument("<host>", "claude-code or codex")
    .option("--user", "from the user's settings (default)")
    .option("--project <dir>", "from a project's settings")
    .action(async (name: string, opts: { user?: boolean; project?: string }) => {
      const host = hostOf(name);
      const scope = scopeOf(opts);
      const ok = await confirmOnTty(
        [
          `Remove guard's hook from ${host} (${scope.kind === "user" ? "user settings" : scope.dir})?`,
          "Agents will then run commands unjudged.",
        ],
        "remove it",
      );
      if (!ok.ok) {
        admin(`guard uninstall ${host}`, `refused: ${ok.why}`, {});
        process.stderr.write(`guard uninstall: ${ok.why === "no-tty" ? NEEDS_TTY : "not removed."}\n`);
        process.exitCode = 1;
        return;
      }
      const report = uninstall(host, scope, process.env);
      for (const l of report.lines) process.stdout.write(l + "\n");
      // It would leave by itself once idle; nothing of guard keeps running after an uninstall.
      const stopped = stopServer(process.env);
      if (stopped) process.stdout.write(`stopped guard's judgment server (pid ${stopped})\n`);
      admin(`guard uninstall ${host}`, "confirmed by a human on the terminal", {
        file: report.file,
        changed: report.changed,
      });
    });
  program
    .command("doctor")
    .description("check that guard runs, is registered and trusted, and that config, rules and audit work")
    .option("--json", "print JSON")
    .option("--project <dir>", "also check a project's registration")
    .action(async (opts: { json?: boolean; project?: string }) => {
      process.exitCode = await runDoctor({
        json: !!opts.json,
        ...(opts.project ? { project: opts.project } : {}),
      });
    });
  void hostStatus;
}

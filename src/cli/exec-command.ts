// guard exec, guard shell, guard lockdown, guard unlock: run commands only through the judge, and the
// kill switch around it.
import { readFileSync } from "node:fs";
import { isatty } from "node:tty";
import type { Command } from "commander";
import { shellJoin } from "../act/quote.ts";
import { EXIT } from "../act/report.ts";
import { judgeAndRun, type ExecRequest } from "../act/exec/judge-and-run.ts";
import { realShell } from "../act/exec/real-shell.ts";
import { record } from "../act/exec/record.ts";
import { endLike, runCommand, type Ended } from "../act/exec/run.ts";
import { parseShellArgs } from "../act/exec/shell-args.ts";
import { readAllStdin } from "../act/exec/stdin.ts";
import { lock, lockState } from "../act/session/lockdown.ts";
import { unlock } from "../act/session/unlock.ts";
import { loadConfig } from "../config/loader.ts";
import { DEFAULT_SETTINGS } from "../config/settings.ts";
import { visible } from "../act/preview/format.ts";

const EXIT_CODES = `
Exit status: the command's own. When guard does not run it: ${EXIT.deny} (denied by a rule, by the human,
by a prompt timeout, because no human could be asked, or by a lockdown), ${EXIT.usage} (usage error),
126/127 (the program cannot be run / is not found). A command killed by a signal kills guard with the same signal.`;

const EXEC_HELP = `
Judges the command, asks you at the terminal when a rule says ask, and runs it only if allowed.
stdin, stdout and stderr are the command's own; guard prompts on /dev/tty.
  guard exec -- rm -rf build
  guard exec -c 'kubectl delete pod web-1 && kubectl get pods'
${EXIT_CODES}`;

const SHELL_HELP = `
A stand-in for $SHELL, so that agents that run "$SHELL -c ..." go through guard. Accepts -c CMD (also as
-lc, -ic, -ec, -c -l), a script on stdin, or a script file. Runs the judged text with bash; login and rc
files are not read, since they would run commands nobody judged.
${EXIT_CODES}`;

function usage(name: string, message: string): number {
  process.stderr.write(`guard ${name}: ${message} (see guard ${name} --help)\n`);
  return EXIT.usage;
}

/** The words after the subcommand, as typed: commander's parsing must not reinterpret the command's options. */
function rawArgs(cmd: Command): string[] {
  // commander keeps the argv it parsed as rawArgs (not in its typings).
  const raw = (cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? process.argv;
  const i = raw.indexOf(cmd.name(), 2);
  return raw.slice(i + 1);
}

async function finish(p: Promise<Ended>): Promise<void> {
  endLike(await p);
}

function execRequest(args: readonly string[]): ExecRequest | string {
  if (args[0] === "-c") {
    const line = args[1];
    if (line === undefined) return "-c needs a command line";
    const shell = realShell();
    return {
      host: "exec",
      command: line,
      run: { file: shell.file, args: [...shell.prefix, "-c", line, ...args.slice(2)] },
      cwd: process.cwd(),
    };
  }
  const argv = args[0] === "--" ? args.slice(1) : args;
  if (!argv.length) return "nothing to run";
  if (args[0] !== "--" && argv[0]?.startsWith("-")) return `unknown option ${argv[0]}`;
  return {
    host: "exec",
    command: shellJoin(argv),
    run: { file: argv[0] as string, args: argv.slice(1) },
    cwd: process.cwd(),
  };
}

function shellRequest(args: readonly string[]): ExecRequest | string | "version" {
  const call = parseShellArgs(args);
  const shell = realShell();
  const cwd = process.cwd();
  switch (call.kind) {
    case "error":
      return call.message;
    case "version":
      return "version";
    case "command":
      return {
        host: "shell",
        command: call.command,
        run: {
          file: shell.file,
          args: [...shell.prefix, ...call.options, "-c", call.command, ...call.operands],
        },
        cwd,
      };
    case "stdin": {
      if (isatty(0))
        return "no command: give -c '...' or a script on stdin (guard shell is not an interactive shell)";
      const script = readAllStdin();
      return {
        host: "shell",
        command: script,
        run: {
          file: shell.file,
          args: [...shell.prefix, ...call.options, "-s", ...call.operands],
          input: script,
        },
        cwd,
      };
    }
    case "file": {
      let script: string;
      try {
        script = readFileSync(call.path, "utf8");
      } catch (e) {
        return `cannot read ${call.path}: ${(e as Error).message}`;
      }
      // Runs the text that was judged, not the file again: it could change in between.
      return {
        host: "shell",
        command: script,
        run: {
          file: shell.file,
          args: [...shell.prefix, ...call.options, "-c", script, call.path, ...call.operands],
        },
        cwd,
      };
    }
  }
}

export function registerExec(program: Command): void {
  program.enablePositionalOptions();
  program
    .command("exec")
    .description("judge a command, then run it (prompting at the terminal when a rule says ask)")
    .usage("[--] <argv...> | -c '<command line>'")
    .option("-c <command>", "a command line, run with bash")
    .argument("[argv...]", "the program and its arguments")
    .passThroughOptions()
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText("after", EXEC_HELP)
    .action(async function (this: Command) {
      const req = execRequest(rawArgs(this));
      if (typeof req === "string") process.exitCode = usage("exec", req);
      else await finish(judgeAndRun(req));
    });
  program
    .command("shell")
    .description("a stand-in for $SHELL that judges every command it is given")
    .usage("[-lc|-ic|-ec] '<command line>' | < script | script [args...]")
    .argument("[args...]")
    .helpOption(false)
    .passThroughOptions()
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText("after", SHELL_HELP)
    .action(async function (this: Command) {
      const args = rawArgs(this);
      if (args[0] === "--help") {
        this.outputHelp();
        return;
      }
      let req: ExecRequest | string | "version";
      try {
        req = shellRequest(args);
      } catch (e) {
        req = e instanceof Error ? e.message : String(e);
      }
      if (req === "version")
        await finish(runCommand({ file: realShell().file, args: ["--version"], cwd: process.cwd() }));
      else if (typeof req === "string") process.exitCode = usage("shell", req);
      else await finish(judgeAndRun(req));
    });
  program
    .command("lockdown")
    .description(
      "deny every command from now on, until a human runs guard unlock at the terminal (anyone may run this)",
    )
    .option("--status", "only say whether guard is locked")
    .argument("[reason...]", "why, for the record")
    .action((reason: string[], opts: { status?: boolean }) => {
      if (opts.status) {
        const s = lockState();
        process.stdout.write(
          s
            ? `guard is locked down since ${visible(s.since)}${s.reason ? `: ${visible(s.reason)}` : ""}\n`
            : "guard is not locked down\n",
        );
        return;
      }
      const why = reason.join(" ") || "no reason given";
      lock(why);
      record({ kind: "admin", host: "cli", cwd: process.cwd(), command: "guard lockdown", reason: why });
      process.stdout.write(
        "guard: locked down. Every command is denied until a human unlocks guard at a terminal.\n",
      );
    });
  program
    .command("unlock")
    .description("lift a lockdown or a tripped session breaker (asks for confirmation at the terminal)")
    .action(async () => {
      let timeout = DEFAULT_SETTINGS.promptTimeout;
      try {
        timeout = loadConfig(process.cwd()).settings.promptTimeout;
      } catch {
        // a broken config must not keep a human from unlocking
      }
      const r = await unlock(timeout);
      record({
        kind: "admin",
        host: "cli",
        cwd: process.cwd(),
        command: "guard unlock",
        reason: r.message,
        ...(r.shown ? { prompt: { shown: r.shown, answer: r.ok ? "unlock" : "refused" } } : {}),
      });
      (r.ok ? process.stdout : process.stderr).write(`guard: ${r.message}\n`);
      process.exitCode = r.ok ? 0 : EXIT.deny;
    });
}

// The full command-line interface (everything but the hot path, which fast.ts serves).
import { Command, CommanderError } from "commander";
import { runCheck } from "./check.ts";
import { registerInstall } from "./install-command.ts";
import { registerRules } from "./rules-command.ts";
import { registerTrust } from "./trust-command.ts";
import { registerCompletion } from "./completion.ts";
import { registerAudit } from "./audit-command.ts";
import { registerExec } from "./exec-command.ts";
import { registerCanary } from "./canary-command.ts";

export const VERSION = "0.1.0";

export function buildProgram(): Command {
  const program = new Command("guard")
    .description("Judges every shell command an AI coding agent wants to run: allow, ask a human, or deny.")
    .version(VERSION)
    .exitOverride();
  program
    .command("check")
    .description("judge a command line and print the verdict (exit 0 allow, 3 ask, 4 deny, 2 usage)")
    .option("--json", "print JSON")
    .option("--explain", "show the resolved invocations and why each rule matched")
    .option("--cwd <dir>", "judge as if run in DIR")
    .option("--file <file>", "read the command line from FILE")
    .option("--batch", "judge JSON lines from stdin, one result per line")
    .option("--audit", "also record the verdict in the audit trail")
    .argument("[command...]", "the command line")
    .action(async () => {
      process.exitCode = await runCheck(process.argv.slice(3));
    });
  program
    .command("explain")
    .description("show how a command line resolves and which rule matches each part")
    .option("--cwd <dir>", "judge as if run in DIR")
    .argument("<command...>", "the command line")
    .action(async (cmd: string[], opts: { cwd?: string }) => {
      process.exitCode = await runCheck([
        "--explain",
        ...(opts.cwd ? ["--cwd", opts.cwd] : []),
        "--",
        ...cmd,
      ]);
    });
  program
    .command("hook")
    .description("judge one PreToolUse call from an agent host (stdin JSON), answering in its protocol")
    .argument("<host>", "claude-code or codex")
    .action(async (host: string) => {
      const { runHook } = await import("./hook.ts");
      process.exitCode = await runHook([host]);
    });
  registerInstall(program);
  registerRules(program);
  registerTrust(program);
  registerAudit(program);
  registerExec(program);
  registerCanary(program);
  registerCompletion(program);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof Error && e.constructor.name === "InstallError") {
      process.stderr.write(`guard: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

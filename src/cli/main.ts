// The full command-line interface (everything but the hot path).
import { Command, CommanderError } from "commander";
import { runCheck } from "./check.ts";

export function buildProgram(): Command {
  const program = new Command("guard")
    .description("Judges every shell command an AI coding agent wants to run: allow, ask a human, or deny.")
    .version("0.1.0")
    .exitOverride();
  program
    .command("check")
    .description("judge a command line and print the verdict")
    .option("--json", "print JSON")
    .option("--explain", "show the resolved invocations and why each rule matched")
    .option("--cwd <dir>", "judge as if run in DIR")
    .option("--file <file>", "read the command line from FILE")
    .option("--batch", "judge JSON lines from stdin, one result per line")
    .argument("[command...]", "the command line")
    .allowUnknownOption(false)
    .action(async () => {
      process.exitCode = await runCheck(process.argv.slice(3));
    });
  program
    .command("explain")
    .description("show how a command line resolves and which rule matches each part")
    .option("--cwd <dir>", "judge as if run in DIR")
    .argument("<command...>", "the command line")
    .action(async (_cmd: string[], opts: { cwd?: string }) => {
      const args = ["--explain", ...(opts.cwd ? ["--cwd", opts.cwd] : []), "--", ..._cmd];
      process.exitCode = await runCheck(args);
    });
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

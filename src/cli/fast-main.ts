// The hot path (agent hooks and `guard check`): what both the plain bundle and the startup snapshot run.
import { runCheck } from "./check.ts";
import { runHook } from "./hook.ts";

export async function fastMain(argv: readonly string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case "check":
      return runCheck(args);
    case "hook":
      return runHook(args);
    default:
      process.stderr.write(`guard: ${cmd ?? ""} is not served by the fast entry point\n`);
      return 2;
  }
}

export function runFast(argv: readonly string[]): void {
  fastMain(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`guard: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 4;
    },
  );
}

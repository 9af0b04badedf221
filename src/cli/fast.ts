// Entry point of the hot path: agent hooks and `guard check`. Loads nothing it does not need.
import { runCheck } from "./check.ts";

async function main(): Promise<number> {
  const [cmd, ...args] = process.argv.slice(2);
  switch (cmd) {
    case "check":
      return runCheck(args);
    case "hook": {
      const { runHook } = await import("./hook.ts");
      return runHook(args);
    }
    default:
      process.stderr.write(`guard: ${cmd ?? ""} is not served by the fast entry point\n`);
      return 2;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`guard: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 4;
  },
);

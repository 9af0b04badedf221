// The hot path (agent hooks and `guard check`) and the judgment server that serves hooks warm.
import { runCheck } from "./check.ts";
import { runHook } from "./hook.ts";

export async function fastMain(argv: readonly string[], input?: string): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case "check":
      return runCheck(args);
    case "hook":
      return runHook(args, input);
    case "__serve": {
      const { serve } = await import("./serve.ts");
      return serve();
    }
    default:
      process.stderr.write(`guard: ${cmd ?? ""} is not served by the fast entry point\n`);
      return 2;
  }
}

export function runFast(argv: readonly string[], input?: string): void {
  fastMain(argv, input).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`guard: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 4;
    },
  );
}

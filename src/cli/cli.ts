// Entry point of the full CLI bundle.
import { runCli } from "./main.ts";

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`guard: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 4;
  },
);

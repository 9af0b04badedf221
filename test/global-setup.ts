// Builds dist/ once for the whole run, before any test file starts: test files then run the same
// bundle throughout (a rebuild in the middle of the run would change it under the tests using it,
// and a running judgment server leaves when the build it serves changes).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  if (process.env["GUARD_SKIP_BUILD"] !== "1") {
    const root = fileURLToPath(new URL("..", import.meta.url));
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  }
  // Inherited by the test workers, whose ensureBuilt() is then a no-op.
  process.env["GUARD_SKIP_BUILD"] = "1";
}

// Builds dist/ once per test run, so tests can run the real `guard` executable.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const GUARD = fileURLToPath(new URL("../bin/guard", import.meta.url));

let built = false;
export function ensureBuilt(): void {
  if (built || process.env["GUARD_SKIP_BUILD"] === "1") return;
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
  built = true;
}

// npm test: build, typecheck, lint, format check, then every test; ends with one plain summary line.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (label, cmd, args) => {
  process.stdout.write(`\n== ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env });
  return r.status === 0;
};

const steps = [
  ["build", process.execPath, ["scripts/build.mjs"]],
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["lint", bin("eslint"), ["."]],
  ["format", bin("prettier"), ["--check", "."]],
];
let ok = true;
let built = false;
for (const [label, cmd, args] of steps) {
  const good = run(label, cmd, args);
  if (label === "build") built = good;
  if (!good) ok = false;
}
// Built once above; the test files use that bundle rather than building it again.
if (built) process.env.GUARD_SKIP_BUILD = "1";

const results = join(root, ".vitest-results.json");
rmSync(results, { force: true });
const extra = process.argv.slice(2);
const tests = run("tests", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${results}`,
  ...extra,
]);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, "utf8"));
  passed = r.numPassedTests ?? 0;
  // Failed tests, plus test files that failed without a failing test (a file that did not load).
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
  failed = (r.numFailedTests ?? 0) + brokenFiles;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  rmSync(results, { force: true });
} else if (!tests) failed = 1;
if (!ok && failed === 0) failed = 1; // a failed build, typecheck, lint or format check counts as a failure
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(ok && tests && failed === 0 ? 0 : 1);

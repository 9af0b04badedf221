// The packed package works after `npm install -g` with no dev dependencies present.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../build.ts";

const dir = mkdtempSync(join(tmpdir(), "guard-pack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm pack, then npm install -g", () => {
  it("installs a guard that judges commands and answers hooks", () => {
    execFileSync("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT, stdio: "pipe" });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    expect(tgz).toBeDefined();
    const prefix = join(dir, "prefix");
    execFileSync(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        prefix,
        "--no-audit",
        "--no-fund",
        "--omit=dev",
        join(dir, tgz as string),
      ],
      { stdio: "pipe", timeout: 240_000 },
    );
    const bin = join(prefix, "bin", "guard");
    const home = join(dir, "home");
    const env = { PATH: process.env["PATH"] ?? "", HOME: home, GUARD_SERVER: "off" };
    const deny = spawnSync(bin, ["check", "--", "sudo -E rm -r -f /"], { env, encoding: "utf8" });
    expect(deny.status).toBe(4);
    const allow = spawnSync(bin, ["check", "--", "rm -rf node_modules"], { env, encoding: "utf8" });
    expect(allow.status).toBe(0);
    const hook = spawnSync(bin, ["hook", "codex"], {
      env,
      encoding: "utf8",
      input: JSON.stringify({
        session_id: "p",
        cwd: dir,
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: { command: "git push --force" },
      }),
    });
    expect(hook.stdout).toContain('"permissionDecision":"deny"');
    const installedDev = readdirSync(join(prefix, "lib", "node_modules", "guard", "node_modules"), {
      withFileTypes: true,
    }).map((d) => d.name);
    for (const dev of ["vitest", "typescript", "esbuild", "eslint"]) expect(installedDev).not.toContain(dev);
    const rules = spawnSync(bin, ["rules", "list", "--json"], { env, encoding: "utf8" });
    expect(JSON.parse(rules.stdout).length).toBeGreaterThan(10);
  }, 300_000);
});

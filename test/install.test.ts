// guard install merges into the hosts' settings without clobbering, is idempotent, records Codex trust;
// guard uninstall needs a human on the terminal and removes exactly what install added.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, GUARD } from "./build.ts";
import { exitStatus, exports, hasTmux, runInTerminal, shq, Terminal, type Sandbox } from "./exec-harness.ts";

const root = mkdtempSync(join(tmpdir(), "guard-install-"));
const home = join(root, "home");
const codexHome = join(home, ".codex");
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: home,
  XDG_STATE_HOME: join(root, "state"),
  XDG_CONFIG_HOME: join(root, "config"),
  CODEX_HOME: codexHome,
  // These tests judge each call in its own process; test/server.test.ts covers the judgment server.
  GUARD_SERVER: "off",
};
const claudeSettings = join(home, ".claude", "settings.json");
const original = {
  model: "opus",
  permissions: { allow: ["Bash(npm test)"] },
  hooks: {
    PreToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "/usr/local/bin/fmt-check" }] }],
    Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }],
  },
};

function guard(args: string[]) {
  return spawnSync(process.execPath, [GUARD, ...args], { env, encoding: "utf8", input: "", timeout: 30_000 });
}

beforeAll(() => {
  ensureBuilt();
  mkdirSync(join(home, ".claude"), { recursive: true });
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(claudeSettings, JSON.stringify(original, null, 2));
  writeFileSync(join(codexHome, "config.toml"), 'model = "gpt-5.5"\n\n[features]\nplugins = false\n');
  writeFileSync(
    join(codexHome, "hooks.json"),
    JSON.stringify({
      hooks: { PostToolUse: [{ matcher: "*", hooks: [{ type: "command", command: "logger used" }] }] },
    }),
  );
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("guard install", () => {
  it("merges its hook into Claude Code's settings, keeping everything else", () => {
    const r = guard(["install", "claude-code"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(claudeSettings);
    const s = JSON.parse(readFileSync(claudeSettings, "utf8"));
    expect(s.model).toBe("opus");
    expect(s.permissions).toEqual(original.permissions);
    expect(s.hooks.Stop).toEqual(original.hooks.Stop);
    expect(s.hooks.PreToolUse[0]).toEqual(original.hooks.PreToolUse[0]);
    const ours = s.hooks.PreToolUse[1];
    expect(ours.matcher).toBe("*");
    expect(ours.hooks[0].command).toContain("hook claude-code");
    expect(ours.hooks[0].onFailure).toBe("block");
    expect(ours.hooks[0].timeout).toBeGreaterThan(0);
  });
  it("is idempotent", () => {
    const before = readFileSync(claudeSettings, "utf8");
    const r = guard(["install", "claude-code"]);
    expect(r.stdout).toContain("unchanged");
    expect(readFileSync(claudeSettings, "utf8")).toBe(before);
  });
  it("registers the Codex hook and records its trusted hash, keeping the user's config", () => {
    const r = guard(["install", "codex"]);
    expect(r.status, r.stderr).toBe(0);
    const toml = readFileSync(join(codexHome, "config.toml"), "utf8");
    expect(toml).toContain('model = "gpt-5.5"');
    expect(toml).toMatch(
      /\[hooks\.state\.".*hooks\.json:pre_tool_use:0:0"\]\ntrusted_hash = "sha256:[0-9a-f]{64}"/,
    );
    const hooks = JSON.parse(readFileSync(join(codexHome, "hooks.json"), "utf8"));
    expect(hooks.hooks.PostToolUse[0].hooks[0].command).toBe("logger used");
    expect(hooks.hooks.PreToolUse[0].hooks[0].command).toContain("hook codex");
    expect(guard(["install", "codex"]).stdout).toContain("already trusted");
  });
  it("refuses to overwrite a settings file that is not valid JSON", () => {
    const bad = join(root, "bad-project");
    mkdirSync(join(bad, ".claude"), { recursive: true });
    writeFileSync(join(bad, ".claude", "settings.json"), "{ not json");
    const r = guard(["install", "claude-code", "--project", bad]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(readFileSync(join(bad, ".claude", "settings.json"), "utf8")).toBe("{ not json");
  });
});

describe("guard uninstall", () => {
  it("without a human at a terminal, removes nothing", () => {
    const before = readFileSync(claudeSettings, "utf8");
    const r = spawnSync("setsid", ["-w", process.execPath, GUARD, "uninstall", "claude-code"], {
      env,
      encoding: "utf8",
      input: "",
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/needs a human at a terminal/);
    expect(readFileSync(claudeSettings, "utf8")).toBe(before);
  });
  it.skipIf(!hasTmux())(
    "with the word typed on the terminal, removes exactly what install added",
    async () => {
      const term = new Terminal(root);
      try {
        const sb = { file: (rel: string) => join(root, rel) } as unknown as Sandbox;
        term.run(exports(env));
        const files = runInTerminal(
          term,
          sb,
          "uninstall",
          `${shq(process.execPath)} ${shq(GUARD)} uninstall claude-code`,
        );
        const m = await term.waitForScreen(/Type (\w+) to remove it/);
        term.run(m[1] as string);
        expect(await exitStatus(files.rc)).toBe(0);
        expect(JSON.parse(readFileSync(claudeSettings, "utf8"))).toEqual(original);
        const files2 = runInTerminal(
          term,
          sb,
          "uninstall-codex",
          `${shq(process.execPath)} ${shq(GUARD)} uninstall codex`,
        );
        const m2 = await term.waitForScreen(/Type (\w+) to remove it[\s\S]*Type (\w+) to remove it/);
        term.run(m2[2] as string);
        expect(await exitStatus(files2.rc)).toBe(0);
        expect(readFileSync(join(codexHome, "config.toml"), "utf8")).not.toContain("hooks.state");
        expect(
          JSON.parse(readFileSync(join(codexHome, "hooks.json"), "utf8")).hooks.PreToolUse,
        ).toBeUndefined();
      } finally {
        term.kill();
      }
    },
    60_000,
  );
});

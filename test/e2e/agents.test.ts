// End to end with the real agents: guard installed by `guard install` into a throwaway HOME decides what runs.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../build.ts";
import {
  cleanup,
  clientsAvailable,
  guard,
  runClaude,
  runCodex,
  stateDir,
  workspace,
  type Workspace,
} from "./agents.ts";

const missing = clientsAvailable();
const DANGER = "touch ran.marker && git push --force origin main";
const SAFE = "touch safe.marker && echo ok";

describe.skipIf(missing !== undefined)("Claude Code, with guard installed", () => {
  let ws: Workspace;
  beforeAll(() => {
    ensureBuilt();
    ws = workspace();
    const r = guard(ws, ["install", "claude-code", "--user"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(ws.home, ".claude", "settings.json"), "utf8")).toContain("hook claude-code");
  }, 180_000);
  afterAll(() => cleanup(ws));

  it("a dangerous command does not run", async () => {
    const r = await runClaude(ws, DANGER, { mode: "acceptEdits" });
    expect(r.stdout).toContain("guard denied this (git.push-force)");
    expect(existsSync(join(ws.project, "ran.marker"))).toBe(false);
  });
  it("a safe command runs", async () => {
    const r = await runClaude(ws, SAFE, { mode: "acceptEdits" });
    expect(existsSync(join(ws.project, "safe.marker")), r.stdout.slice(-2000)).toBe(true);
  });
  it("the deny holds in bypassPermissions mode", async () => {
    await runClaude(ws, DANGER, { mode: "bypassPermissions" });
    expect(existsSync(join(ws.project, "ran.marker"))).toBe(false);
  });
  it("a Write to ~/.claude/settings.json is denied", async () => {
    const settings = join(ws.home, ".claude", "settings.json");
    const before = readFileSync(settings, "utf8");
    const r = await runClaude(ws, "echo unused", {
      mode: "bypassPermissions",
      tool: "Write",
      toolInput: JSON.stringify({ file_path: settings, content: "{}" }),
    });
    expect(r.stdout).toContain("self.modify-guard-files");
    expect(readFileSync(settings, "utf8")).toBe(before);
  });
  it("a script the agent wrote in one call is judged when it runs it in the next", async () => {
    const script = join(ws.project, "deploy.sh");
    await runClaude(ws, "echo unused", {
      mode: "acceptEdits",
      tool: "Write",
      toolInput: JSON.stringify({ file_path: script, content: `#!/bin/sh\n${DANGER}\n` }),
    });
    expect(readFileSync(script, "utf8")).toContain("git push --force");
    const r = await runClaude(ws, "sh deploy.sh", { mode: "bypassPermissions" });
    expect(r.stdout).toContain("guard denied this (git.push-force)");
    expect(existsSync(join(ws.project, "ran.marker"))).toBe(false);
  });
  it("later calls are answered by guard's judgment server, and its deny holds too", async () => {
    // The first hook call started the server in the background; it is ready once warm.
    const warm = join(stateDir(ws), "server", "warm");
    for (let i = 0; i < 300 && !existsSync(warm); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(warm)).toBe(true);
    const r = await runClaude(ws, DANGER, { mode: "bypassPermissions" });
    expect(r.stdout).toContain("guard denied this (git.push-force)");
    expect(existsSync(join(ws.project, "ran.marker"))).toBe(false);
    const last = readFileSync(join(stateDir(ws), "audit.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { command: string; decision: string; detail?: { via?: string } })
      .filter((a) => a.command === DANGER)
      .pop();
    expect(last?.decision).toBe("deny");
    expect(last?.detail?.via).toBe("server");
  });
  it("install is idempotent", () => {
    const settings = join(ws.home, ".claude", "settings.json");
    const before = readFileSync(settings, "utf8");
    expect(guard(ws, ["install", "claude-code"]).stdout).toContain("unchanged");
    expect(readFileSync(settings, "utf8")).toBe(before);
  });
});

describe.skipIf(missing !== undefined)("Codex, with guard installed (trusted by guard install alone)", () => {
  let ws: Workspace;
  beforeAll(() => {
    ensureBuilt();
    ws = workspace();
    const r = guard(ws, ["install", "codex", "--user"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(ws.codexHome, "config.toml"), "utf8")).toContain("trusted_hash");
  }, 180_000);
  afterAll(() => cleanup(ws));

  it("a denied command does not run, without --dangerously-bypass-hook-trust", async () => {
    const r = await runCodex(ws, DANGER);
    expect(r.stdout).toContain("guard denied this (git.push-force)");
    expect(existsSync(join(ws.project, "ran.marker"))).toBe(false);
  });
  it("a safe command runs", async () => {
    await runCodex(ws, SAFE);
    expect(existsSync(join(ws.project, "safe.marker"))).toBe(true);
  });
  it("guard doctor reports the hook registered and trusted", () => {
    const r = guard(ws, ["doctor", "--json"]);
    const out = JSON.parse(r.stdout) as { checks: { name: string; ok: boolean | string; detail: string }[] };
    const codex = out.checks.find((c) => c.name === "codex (user)");
    expect(codex?.ok, codex?.detail).toBe(true);
  });
});

if (missing) describe("agent end-to-end tests", () => it.skip(`skipped: ${missing}`, () => undefined));

// Hostile or malformed hook input always gives a deny with a reason, in each host's protocol.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, GUARD } from "./build.ts";

const home = mkdtempSync(join(tmpdir(), "guard-hook-"));
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: home,
  XDG_STATE_HOME: join(home, "state"),
  XDG_CONFIG_HOME: join(home, "config"),
  // These tests judge each call in its own process; test/server.test.ts covers the judgment server.
  GUARD_SERVER: "off",
};

function runHook(host: string, input: string | Buffer) {
  const r = spawnSync(process.execPath, [GUARD, "hook", host], {
    input,
    env,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const base = {
  session_id: "s1",
  cwd: home,
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: { command: "ls" },
  tool_use_id: "t1",
};
const json = (o: unknown) => JSON.stringify(o);

const hostile: [string, string | Buffer][] = [
  ["empty input", ""],
  ["whitespace only", "   \n"],
  ["not JSON", "rm -rf /"],
  ["truncated JSON", json(base).slice(0, 40)],
  ["a JSON array", "[1,2,3]"],
  ["a JSON string", '"PreToolUse"'],
  ["JSON null", "null"],
  ["a number", "42"],
  ["unknown event", json({ ...base, hook_event_name: "PostToolUse" })],
  ["missing event", json({ ...base, hook_event_name: undefined })],
  ["event of the wrong type", json({ ...base, hook_event_name: 7 })],
  ["missing tool_name", json({ ...base, tool_name: undefined })],
  ["tool_name not a string", json({ ...base, tool_name: ["Bash"] })],
  ["missing tool_input", json({ ...base, tool_input: undefined })],
  ["tool_input is a string", json({ ...base, tool_input: "rm -rf /" })],
  ["Bash without command", json({ ...base, tool_input: { description: "x" } })],
  ["Bash command not a string", json({ ...base, tool_input: { command: { $gt: "" } } })],
  ["missing cwd", json({ ...base, cwd: undefined })],
  ["relative cwd", json({ ...base, cwd: "project" })],
  ["NUL byte", json(base).replace('"ls"', '"ls\\u0000"').replace("\\u0000", "\u0000")],
  ["oversized payload", json({ ...base, tool_input: { command: "echo " + "a".repeat(1_100_000) } })],
  ["oversized command", json({ ...base, tool_input: { command: "echo " + "a".repeat(300_000) } })],
  ["Write without file_path", json({ ...base, tool_name: "Write", tool_input: { content: "x" } })],
  ["Read with a non-string path", json({ ...base, tool_name: "Read", tool_input: { file_path: 5 } })],
  [
    "deeply nested MCP input",
    json({
      ...base,
      tool_name: "mcp__db__query",
      tool_input: JSON.parse('{"a":'.repeat(100) + "1" + "}".repeat(100)),
    }),
  ],
  ["invalid UTF-8 bytes", Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ["event name in the wrong case", json({ ...base, hook_event_name: "pretooluse" })],
];

beforeAll(() => ensureBuilt(), 180_000);

for (const host of ["claude-code", "codex"]) {
  describe(`${host}: hostile input is denied with a reason`, () => {
    for (const [name, input] of hostile) {
      it(name, () => {
        const r = runHook(host, input);
        expect(r.status).toBe(0);
        const out = JSON.parse(r.stdout) as {
          hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string };
        };
        expect(out.hookSpecificOutput.permissionDecision).toBe("deny");
        expect(out.hookSpecificOutput.permissionDecisionReason.length).toBeGreaterThan(10);
        expect(r.stdout + r.stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack trace
        expect(out.hookSpecificOutput.permissionDecisionReason).not.toMatch(
          /guard (allow|trust|unlock|uninstall)|--no-guard|disable/i,
        );
      });
    }
  });
}

describe("a wrongly registered hook blocks", () => {
  it("an unknown host name exits 2 with a reason on stderr", () => {
    const r = runHook("cursor", json(base));
    expect(r.status).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(0);
  });
});

// Every tool, not only the shell: file tools get path rules (self-protection, secrets), MCP tools whose
// names say delete ask, Codex's apply_patch is judged by the files it touches.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, GUARD } from "./build.ts";

const root = mkdtempSync(join(tmpdir(), "guard-tools-"));
const home = join(root, "home");
const project = join(root, "project");
mkdirSync(join(project, ".git"), { recursive: true });
mkdirSync(home, { recursive: true });
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: home,
  XDG_STATE_HOME: join(root, "state"),
  XDG_CONFIG_HOME: join(root, "config"),
  // These tests judge each call in its own process; test/server.test.ts covers the judgment server.
  GUARD_SERVER: "off",
};

function hook(
  host: "claude-code" | "codex",
  tool: string,
  input: Record<string, unknown>,
  extraEnv: Record<string, string> = {},
) {
  const payload = {
    session_id: "t",
    cwd: project,
    hook_event_name: "PreToolUse",
    tool_name: tool,
    tool_input: input,
    tool_use_id: "x",
  };
  const r = spawnSync(process.execPath, [GUARD, "hook", host], {
    input: JSON.stringify(payload),
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    timeout: 20_000,
  });
  const out = r.stdout.trim()
    ? (JSON.parse(r.stdout) as {
        hookSpecificOutput?: { permissionDecision: string; permissionDecisionReason: string };
      })
    : {};
  return {
    decision: out.hookSpecificOutput?.permissionDecision ?? "none",
    reason: out.hookSpecificOutput?.permissionDecisionReason ?? "",
  };
}

beforeAll(() => ensureBuilt(), 180_000);

describe("file tools", () => {
  it("Write to the host's hook settings is denied", () => {
    const r = hook("claude-code", "Write", {
      file_path: join(home, ".claude", "settings.json"),
      content: "{}",
    });
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("self.modify-guard-files");
  });
  it("Edit of the project's .claude/settings.local.json is denied", () => {
    expect(
      hook("claude-code", "Edit", {
        file_path: join(project, ".claude", "settings.local.json"),
        old_string: "a",
        new_string: "b",
      }).decision,
    ).toBe("deny");
  });
  it("MultiEdit of guard's config is denied", () => {
    expect(
      hook("claude-code", "MultiEdit", { file_path: join(root, "config", "guard", "config.yaml"), edits: [] })
        .decision,
    ).toBe("deny");
  });
  it("NotebookEdit in the project says nothing", () => {
    expect(
      hook("claude-code", "NotebookEdit", { notebook_path: join(project, "a.ipynb"), new_source: "x" })
        .decision,
    ).toBe("none");
  });
  it("Read of a private key is denied, of a public key says nothing", () => {
    expect(hook("claude-code", "Read", { file_path: join(home, ".ssh", "id_ed25519") }).decision).toBe(
      "deny",
    );
    expect(hook("claude-code", "Read", { file_path: join(home, ".ssh", "id_ed25519.pub") }).decision).toBe(
      "none",
    );
  });
  it("Read of guard's audit key is denied", () => {
    expect(
      hook("claude-code", "Read", { file_path: join(root, "state", "guard", "audit.key") }).decision,
    ).toBe("deny");
  });
  it("Grep through cloud credentials is denied; through src says nothing", () => {
    expect(
      hook("claude-code", "Grep", { pattern: "secret", path: join(home, ".aws", "credentials") }).decision,
    ).toBe("deny");
    expect(hook("claude-code", "Grep", { pattern: "TODO", path: join(project, "src") }).decision).toBe(
      "none",
    );
  });
  it("Write of ordinary project files says nothing", () => {
    expect(
      hook("claude-code", "Write", { file_path: join(project, "src", "a.ts"), content: "export {}" })
        .decision,
    ).toBe("none");
  });
});

describe("MCP tools", () => {
  it("a tool whose name says delete asks (Claude's own dialog)", () => {
    const r = hook("claude-code", "mcp__db__delete_rows", { table: "users" });
    expect(r.decision).toBe("ask");
  });
  it("on Codex, with no human at a terminal, the ask becomes a deny that tells the agent to stop", () => {
    const r = hook("codex", "mcp__db__dropTable", { table: "users" });
    expect(r.decision).toBe("deny");
    expect(r.reason).toMatch(/ask your user/i);
    expect(r.reason).not.toMatch(/guard (allow|trust|unlock)|type|word/i);
  });
  it("the deny joins the rule's reason and the instruction as two sentences", () => {
    const r = hook("codex", "Bash", { command: "systemctl stop nginx" });
    expect(r.decision).toBe("deny");
    expect(r.reason).toMatch(/goes down\. No human is available/);
    expect(r.reason).not.toMatch(/\.\./);
  });
  it("a read-only MCP tool says nothing", () => {
    expect(hook("claude-code", "mcp__db__list_tables", {}).decision).toBe("none");
  });
});

describe("Codex apply_patch", () => {
  it("adding a project file says nothing", () => {
    expect(
      hook("codex", "apply_patch", {
        command: "*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n",
      }).decision,
    ).toBe("none");
  });
  it("deleting the project's Codex hooks is denied", () => {
    expect(
      hook("codex", "apply_patch", {
        command: "*** Begin Patch\n*** Delete File: .codex/hooks.json\n*** End Patch\n",
      }).decision,
    ).toBe("deny");
  });
  it("updating ~/.codex/config.toml is denied", () => {
    expect(
      hook("codex", "apply_patch", {
        command: `*** Begin Patch\n*** Update File: ${join(home, ".codex", "config.toml")}\n@@\n-a\n+b\n*** End Patch\n`,
      }).decision,
    ).toBe("deny");
  });
});

describe("WebFetch", () => {
  it("a plain fetch says nothing", () => {
    expect(
      hook("claude-code", "WebFetch", { url: "https://example.com/docs", prompt: "summarize" }).decision,
    ).toBe("none");
  });
});

describe("paths that lead elsewhere", () => {
  it("a Write through a symlink made earlier lands on the link's target, and is judged there", () => {
    symlinkSync(home, join(project, "hm"));
    const r = hook("claude-code", "Write", {
      file_path: join(project, "hm", ".claude", "settings.json"),
      content: "{}",
    });
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("self.modify-guard-files");
  });
  it("a Read of a symlink to a private key is denied", () => {
    mkdirSync(join(home, ".ssh"), { recursive: true });
    writeFileSync(join(home, ".ssh", "id_rsa"), "not a real key");
    symlinkSync(join(home, ".ssh", "id_rsa"), join(project, "notes.txt"));
    expect(hook("claude-code", "Read", { file_path: join(project, "notes.txt") }).decision).toBe("deny");
  });
  it("Grep limited by a glob reads what the glob names", () => {
    expect(hook("claude-code", "Grep", { pattern: "KEY", path: project, glob: ".env*" }).decision).toBe(
      "ask",
    );
    expect(hook("claude-code", "Grep", { pattern: "TODO", path: project, glob: "*.ts" }).decision).toBe(
      "none",
    );
  });
});

describe("inputs that would be judged as something else are refused", () => {
  it("a NUL character in a command or path", () => {
    expect(hook("claude-code", "Bash", { command: "rm -rf ~\u0000" }).decision).toBe("deny");
    expect(
      hook("claude-code", "Write", {
        file_path: `${join(home, ".claude", "settings.json")}\u0000`,
        content: "",
      }).decision,
    ).toBe("deny");
  });
  it("an empty or non-string command list, and a path that is not a string", () => {
    expect(hook("claude-code", "Bash", { command: [] }).decision).toBe("deny");
    expect(hook("claude-code", "Grep", { pattern: "x", path: 5 }).decision).toBe("deny");
  });
  it("a tool guard does not know that is handed a command has the command judged", () => {
    expect(hook("claude-code", "bash", { command: "rm -rf /" }).decision).toBe("deny");
    expect(hook("claude-code", "bash", { command: "ls" }).decision).toBe("none");
  });
});

describe("apply_patch however it arrives", () => {
  const settings = join(home, ".claude", "settings.json");
  it("headers indented, or ending in a character Codex trims (U+0085), still name the file", () => {
    for (const header of [
      `  *** Update File: ${settings}`,
      `\t*** Update File: ${settings}`,
      `*** Update File: ${settings}\u0085`,
    ])
      expect(
        hook("codex", "apply_patch", { command: `*** Begin Patch\n${header}\n@@\n-a\n+b\n*** End Patch\n` })
          .decision,
      ).toBe("deny");
  });
  it("a patch applied through the shell tool is judged by the files it touches", () => {
    const command = `apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: ${settings}\n@@\n-a\n+b\n*** End Patch\nEOF`;
    expect(hook("codex", "Bash", { command }).decision).toBe("deny");
    const ok = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: notes.md\n+hi\n*** End Patch\nEOF";
    expect(hook("codex", "Bash", { command: ok }).decision).toBe("none");
  });
});

describe("a broken configuration", () => {
  it("blocks every tool, and tells the agent neither where the file is nor what would loosen guard", () => {
    const cfg = mkdtempSync(join(tmpdir(), "guard-broken-"));
    mkdirSync(join(cfg, "guard"), { recursive: true });
    writeFileSync(join(cfg, "guard", "config.yaml"), "override:\n  git.push-force: maybe\n");
    const r = hook(
      "claude-code",
      "Read",
      { file_path: join(project, "README.md") },
      { XDG_CONFIG_HOME: cfg },
    );
    expect(r.decision).toBe("deny");
    expect(r.reason).not.toMatch(/config\.yaml|override|allow|\boff\b/);
  });
});

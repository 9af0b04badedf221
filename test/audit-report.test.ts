// What the trail tells a person: stats, rule suggestions and drift, exports; and what an entry holds.
import { afterAll, describe, expect, it } from "vitest";
import { appendAudit } from "../src/act/audit/append.ts";
import { canonicalJson } from "../src/act/audit/canonical.ts";
import { exportAudit, syslogLine } from "../src/act/audit/export.ts";
import { readAudit } from "../src/act/audit/read.ts";
import { auditStats } from "../src/act/audit/stats.ts";
import { suggestRules } from "../src/act/audit/suggest.ts";
import type { AuditInput, AuditRecord } from "../src/act/audit/types.ts";
import { verifyAudit } from "../src/act/audit/verify.ts";
import { decision, logLines, tempDir, removeTempDirs } from "./fixtures/audit-helpers.ts";

afterAll(removeTempDirs);

const asked = (command: string, answer: string, rules = ["pkg.publish"]): AuditInput =>
  decision(command, {
    kind: "prompt",
    decision: "ask",
    rules,
    prompt: { shown: `run ${command}?`, answer },
    outcome: answer === "approve" ? { ran: true, exitCode: 0 } : { ran: false },
  });

function record(input: AuditInput, seq = 1): AuditRecord {
  return { ...input, seq, time: "2025-06-01T10:00:00.000Z", prev: "p", mac: "m" };
}

describe("an entry", () => {
  it("records every field it was given, and its place in the chain", () => {
    const dir = tempDir();
    const input: AuditInput = {
      kind: "prompt",
      host: "codex",
      session: "sess-9",
      agent: "gpt-5",
      cwd: "/work/app",
      command: "kubectl delete ns prod",
      invocations: [{ argv: ["kubectl", "delete", "ns", "prod"], via: ["bash -c"] }],
      rules: ["k8s.delete-namespace"],
      decision: "ask",
      reason: "Deletes a namespace",
      prompt: { shown: "kubectl delete ns prod (context prod-eu)", answer: "deny" },
      outcome: { ran: false },
      detail: { context: "prod-eu" },
    };
    const r = appendAudit(input, { dir });
    expect(r).toMatchObject({ ...input, seq: 1 });
    expect(r.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(readAudit({ dir })).toEqual([r]);
    const second = appendAudit(decision("ls"), { dir });
    expect(second).toMatchObject({ seq: 2, prev: r.mac });
  });

  it("is one line whatever the command holds (newlines, quotes, unicode, odd detail values)", () => {
    const dir = tempDir();
    const command = "cat <<'EOF'\nrm -rf / \"x\" \u2028 é 🚀\nEOF";
    appendAudit(
      decision(command, { detail: { n: NaN, nested: { z: 1, a: [undefined, "b"] }, when: new Date(0) } }),
      { dir },
    );
    expect(logLines(dir)).toHaveLength(1);
    expect(readAudit({ dir })[0]).toMatchObject({
      command,
      detail: { n: null, nested: { z: 1, a: [null, "b"] }, when: "1970-01-01T00:00:00.000Z" },
    });
    expect(verifyAudit({ dir }).ok).toBe(true);
  });
});

describe("canonical JSON", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"x":2,"y":1}]},"b":1}',
    );
  });

  it("keeps an own __proto__ key from parsed JSON", () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });
});

describe("stats", () => {
  const records = [
    decision("git push --force origin main", { decision: "deny", rules: ["git.push-force"] }),
    decision("git push -f", { decision: "deny", rules: ["git.push-force"] }),
    decision("rm -rf /", { decision: "deny", rules: ["fs.rm-root"] }),
    asked("npm publish", "approve"),
    asked("npm publish", "approve"),
    asked("npm publish --tag next", "deny"),
    decision("ls", { decision: "allow" }),
    decision("terraform apply", {
      decision: "ask",
      rules: ["iac.apply"],
      outcome: { ran: true, exitCode: 0 },
    }),
  ].map((r, i) => record(r, i + 1));
  const s = auditStats(records);

  it("counts verdicts", () => {
    expect(s.count).toBe(8);
    expect(s.byDecision).toEqual({ deny: 3, ask: 4, allow: 1 });
  });

  it("ranks what was denied most, by rule and by command", () => {
    expect(s.denied.rules.map((t) => [t.key, t.count])).toEqual([
      ["git.push-force", 2],
      ["fs.rm-root", 1],
    ]);
    expect(s.denied.commands.map((t) => [t.key, t.count])).toEqual([
      ["git push", 2],
      ["rm", 1],
    ]);
  });

  it("counts an ask as approved when the human said approve, or the host's dialog let it run", () => {
    expect(s.asked.rules.map((t) => [t.key, t.count])).toEqual([
      ["pkg.publish", 3],
      ["iac.apply", 1],
    ]);
    expect(s.approved.rules.map((t) => [t.key, t.count])).toEqual([
      ["pkg.publish", 2],
      ["iac.apply", 1],
    ]);
  });
});

describe("suggest", () => {
  it("proposes an allow rule for a command approved again and again, in the config's allow syntax", () => {
    const records = [
      asked("npm publish --access public", "approve"),
      asked("npm publish --access public", "approve"),
      asked("npm publish --access public", "approve"),
    ].map((r, i) => record(r, i + 1));
    const s = suggestRules(records);
    expect(s.allow).toEqual([
      {
        pattern: "npm publish --access public",
        count: 3,
        rules: ["pkg.publish"],
        examples: ["npm publish --access public"],
      },
    ]);
  });

  it("generalises to the common words of the approved commands, never below program and subcommand", () => {
    const records = ["kubectl delete pod web-1", "kubectl delete pod web-2", "kubectl delete pod api-1"].map(
      (c, i) => record(asked(c, "approve", ["k8s.delete"]), i + 1),
    );
    expect(suggestRules(records).allow.map((a) => a.pattern)).toEqual(["kubectl delete pod *"]);
    const rm = ["rm -r a", "rm -r b", "rm -r c"].map((c, i) => record(asked(c, "approve", ["fs.rm"]), i + 1));
    expect(suggestRules(rm).allow).toEqual([]);
  });

  it("ignores denials, too few approvals, and commands that also ran without asking", () => {
    const records = [
      asked("cd x && npm publish", "approve"),
      asked("cd y && npm publish", "approve"),
      asked("docker system prune", "approve"),
      asked("docker system prune", "deny"),
      asked("docker system prune", "timeout"),
      decision("cd z", { decision: "allow" }),
    ].map((r, i) => record(r, i + 1));
    const withInvocations = records.map((r) =>
      r.command.startsWith("cd ")
        ? { ...r, invocations: r.command.split(" && ").map((c) => ({ argv: c.split(" "), via: [] })) }
        : r,
    );
    expect(suggestRules(withInvocations, { minApprovals: 2 }).allow.map((a) => a.pattern)).toEqual([
      "npm publish",
    ]);
  });

  it("escapes glob characters in suggested words", () => {
    const records = [1, 2, 3].map((i) => record(asked("git stash drop stash@{0}", "approve"), i));
    expect(suggestRules(records).allow[0]?.pattern).toBe("git stash drop stash@\\{0\\}");
  });

  it("lists allow rules that no entry used (permission drift)", () => {
    const records = [record(decision("make test", { rules: ["config.allow-1"] }))];
    const s = suggestRules(records, {
      allowRules: [
        { id: "config.allow-1", description: "make test" },
        { id: "config.allow-2", description: "docker *" },
      ],
    });
    expect(s.unused).toEqual([{ id: "config.allow-2", description: "docker *" }]);
    expect(s.checked).toBe(2);
  });
});

describe("export", () => {
  it("jsonl gives the lines exactly as logged, so they can be verified elsewhere", () => {
    const dir = tempDir();
    appendAudit(decision("ls"), { dir });
    appendAudit(decision("pwd"), { dir });
    expect(exportAudit("jsonl", { dir })).toEqual(logLines(dir));
  });

  it("syslog gives one RFC 5424 line per entry, severity by verdict", () => {
    const dir = tempDir();
    appendAudit(
      decision("git push -f", { decision: "deny", rules: ["git.push-force"], reason: 'rewrites "main"' }),
      { dir },
    );
    appendAudit(decision("echo a\necho b", { decision: "allow" }), { dir });
    const [deny, allow] = exportAudit("syslog", { dir, hostname: "box" });
    expect(deny).toMatch(
      /^<108>1 \d{4}-\d\d-\d\dT[\d:.]+Z box guard - decision \[guard@32473 seq="1" kind="decision" host="claude-code" session="s-1" decision="deny" rules="git.push-force" cwd="\/work\/project" mac="[0-9a-f]{64}"\] deny: git push -f \(rewrites "main"\)$/,
    );
    expect(allow).toMatch(/^<110>1 .* allow: echo a\\necho b$/);
  });

  it("escapes what RFC 5424 reserves in parameter values", () => {
    const line = syslogLine(record(decision("x", { cwd: 'a"b]c\\d' })), "h");
    expect(line).toContain('cwd="a\\"b\\]c\\\\d"');
  });
});

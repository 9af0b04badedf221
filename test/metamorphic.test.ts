// Metamorphic tests: every denied example of every rule stays denied when it is hidden the ways agents
// and attackers hide commands (launchers, shells, eval, subshells, lists, paths, backslashes, quotes).
import { describe, expect, it } from "vitest";
import { parse } from "unbash";
import { check, PACKS } from "./helpers.ts";

function singleQuote(s: string): string {
  return "'" + s.replace(/'/g, "'\\''") + "'";
}
function doubleQuote(s: string): string {
  return '"' + s.replace(/(["\\$`])/g, "\\$1") + '"';
}

/** The first word of a one-command line, when it is a plain word that can be respelled. */
function plainHead(cmd: string): string | undefined {
  if (cmd.includes("\n")) return undefined;
  const script = parse(cmd);
  if (script.errors?.length || script.commands.length !== 1) return undefined;
  const node = script.commands[0]?.command;
  if (node?.type !== "Command" || !node.name || node.prefix.length) return undefined;
  const head = node.name.text;
  return /^[a-z][a-z0-9._-]*$/.test(head) && cmd.startsWith(head + " ") ? head : undefined;
}

/** Prefixes apply to the first simple command only, so they are tried on one-command lines. */
const prefixes: [string, (c: string) => string][] = [
  ["sudo", (c) => `sudo ${c}`],
  ["sudo with options", (c) => `sudo -E -u root ${c}`],
  ["env", (c) => `env FOO=1 ${c}`],
];

const wrappers: [string, (c: string) => string][] = [
  ["sudo bash -c", (c) => `sudo bash -c ${singleQuote(c)}`],
  ["bash -c single quotes", (c) => `bash -c ${singleQuote(c)}`],
  ["sh -c double quotes", (c) => `sh -c ${doubleQuote(c)}`],
  ["bash -lc", (c) => `bash -lc ${singleQuote(c)}`],
  ["eval", (c) => `eval ${singleQuote(c)}`],
  ["subshell", (c) => `( ${c} )`],
  ["brace group", (c) => `{ ${c}; }`],
  ["after a harmless command", (c) => `ls -la && ${c}`],
  ["after a failing command", (c) => `false || ${c}`],
  ["command substitution", (c) => `echo "$(${c})"`],
  ["heredoc into bash", (c) => `bash <<'EOF'\n${c}\nEOF`],
  ["pipe into sh", (c) => `echo ${singleQuote(c)} | sh`],
];

const respellings: [string, (head: string, c: string) => string][] = [
  ["absolute path", (h, c) => `/usr/bin/${h}${c.slice(h.length)}`],
  ["backslash", (h, c) => `\\${c}`],
  ["split quotes", (h, c) => `${h.slice(0, 1)}''${h.slice(1)}${c.slice(h.length)}`],
  ["double-quoted name", (h, c) => `"${h}"${c.slice(h.length)}`],
  ["command builtin", (h, c) => `command ${c}`],
  ["nohup and timeout", (h, c) => `timeout 5 nohup ${c}`],
];

const denied = PACKS.flatMap((p) =>
  p.rules
    .filter((r) => r.decision === "deny")
    .flatMap((r) => (r.examples?.block ?? []).map((cmd) => ({ rule: r.id, cmd }))),
);

describe("denied examples stay denied when wrapped", () => {
  for (const { rule, cmd } of denied) {
    if (check(cmd).decision !== "deny") continue; // context-dependent examples are covered by the rule tests
    it(`${rule}: ${JSON.stringify(cmd).slice(0, 80)}`, () => {
      const failures: string[] = [];
      for (const [name, wrap] of wrappers) {
        const wrapped = wrap(cmd);
        const d = check(wrapped).decision;
        if (d !== "deny") failures.push(`${name}: ${d}: ${wrapped}`);
      }
      const head = plainHead(cmd);
      if (head) {
        for (const [name, wrap] of prefixes) {
          const wrapped = wrap(cmd);
          const d = check(wrapped).decision;
          if (d !== "deny") failures.push(`${name}: ${d}: ${wrapped}`);
        }
        for (const [name, respell] of respellings) {
          const variant = respell(head, cmd);
          const d = check(variant).decision;
          if (d !== "deny") failures.push(`${name}: ${d}: ${variant}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

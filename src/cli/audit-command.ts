// guard audit: where the trail is, what it says (tail, stats, suggest, export), and whether it is intact.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import chalk from "chalk";
import type { Command } from "commander";
import { gitRoot } from "../act/context.ts";
import {
  auditPaths,
  auditStats,
  exportAudit,
  readAudit,
  readLogLines,
  suggestRules,
  verifyAudit,
  type AllowRuleRef,
  type AuditRecord,
  type AuditStats,
  type Suggestions,
  type Tally,
  type VerifyResult,
} from "../act/audit/index.ts";
import { loadConfig } from "../config/load.ts";

/** Exit code of `guard audit verify` when the trail was tampered with or damaged. */
export const EXIT_TAMPERED = 1;
const EXIT_ERROR = 2;

function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

const DECISION_COLOUR: Record<string, (s: string) => string> = {
  deny: chalk.red,
  ask: chalk.yellow,
  allow: chalk.green,
  none: chalk.dim,
};

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\r?\n/g, " ⏎ ");
  return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}

export function entryText(r: AuditRecord): string {
  const time = r.time.replace("T", " ").replace(/\.\d+Z$/, "Z");
  const label = (r.kind === "alert" ? "alert" : (r.decision ?? r.kind)).padEnd(5);
  const verdict =
    r.kind === "alert" ? chalk.magenta(label) : (DECISION_COLOUR[r.decision ?? ""] ?? chalk.dim)(label);
  const what = r.kind === "alert" ? (r.reason ?? "") : r.command;
  const extra = [
    r.rules?.length ? chalk.dim(r.rules.join(",")) : "",
    r.prompt ? chalk.cyan(`answered ${r.prompt.answer}`) : "",
    r.outcome?.exitCode !== undefined ? chalk.dim(`exit ${r.outcome.exitCode}`) : "",
  ].filter(Boolean);
  return `${chalk.dim(`#${r.seq}`)} ${time}  ${verdict}  ${chalk.dim(r.host)}  ${oneLine(what)}${extra.length ? "  " + extra.join("  ") : ""}`;
}

export function verifyText(v: VerifyResult, log: string): string {
  if (v.ok)
    return `audit trail intact: ${v.count} entries${v.headSeq !== undefined ? `, head at seq ${v.headSeq}` : ""} (${log})`;
  const b = v.firstBad;
  if (!b) return `audit trail damaged (${log})`;
  const where = `entry ${b.index + 1} (line ${b.line}${b.seq !== undefined ? `, seq ${b.seq}` : ""})`;
  return `audit trail damaged: first bad entry is ${where}: ${b.problem}\n  log: ${log}`;
}

function tallies(title: string, t: { rules: readonly Tally[]; commands: readonly Tally[] }): string[] {
  if (!t.rules.length) return [];
  const lines = [chalk.bold(title)];
  for (const x of t.rules)
    lines.push(`  ${String(x.count).padStart(5)}  ${x.key.padEnd(32)}  ${chalk.dim(oneLine(x.example, 80))}`);
  lines.push(chalk.dim("  by command:"));
  for (const x of t.commands) lines.push(`  ${String(x.count).padStart(5)}  ${x.key}`);
  return lines;
}

export function statsText(s: AuditStats): string {
  if (!s.count) return "the audit trail is empty";
  const decisions = Object.entries(s.byDecision)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const hosts = Object.entries(s.byHost)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return [
    `${s.count} entries from ${s.from ?? "?"} to ${s.to ?? "?"}`,
    `decisions: ${decisions || "none"}`,
    `hosts: ${hosts}`,
    ...tallies("most denied", s.denied),
    ...tallies("most asked", s.asked),
    ...tallies("most approved", s.approved),
  ].join("\n");
}

export function suggestText(s: Suggestions): string {
  const lines: string[] = [];
  if (s.allow.length) {
    lines.push(
      chalk.bold("approved again and again: consider allowing in ~/.config/guard/config.yaml"),
      "allow:",
    );
    for (const a of s.allow) {
      lines.push(
        `  - ${JSON.stringify(a.pattern)}  ${chalk.dim(`# approved ${a.count} times${a.rules.length ? `; asked by ${a.rules.join(", ")}` : ""}`)}`,
      );
    }
  } else lines.push("no command was approved often enough to suggest a rule");
  if (s.unused.length) {
    lines.push("", chalk.bold("allow rules never used in the trail (permission drift): consider removing"));
    for (const u of s.unused) lines.push(`  ${u.id}  ${chalk.dim(u.description ?? "")}`);
  } else
    lines.push(s.checked ? `all ${s.checked} allow rules in force were used` : "no allow rules in force");
  return lines.join("\n");
}

/** The allow rules and overrides to allow that config grants, for the permission drift report. */
function allowRulesInForce(cwd: string): AllowRuleRef[] {
  const cfg = loadConfig(gitRoot(cwd) ?? cwd);
  const refs: AllowRuleRef[] = [];
  for (const layer of cfg.layers) {
    if (layer.trust === "project") continue; // an untrusted project file cannot allow anything
    for (const r of layer.rules)
      if (r.decision === "allow") refs.push({ id: r.id, description: r.reason, file: layer.file });
    for (const [id, to] of Object.entries(layer.overrides)) {
      if (to === "allow")
        refs.push({ id, description: `override in ${layer.file}: ${id} allowed`, file: layer.file });
    }
  }
  return refs;
}

/** Prints the new complete lines as they are appended, until interrupted. */
async function follow(file: string, from: number, json: boolean): Promise<void> {
  let offset = from;
  let partial = "";
  const poll = () => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return;
    }
    if (size < offset) {
      process.stderr.write(
        `guard audit: ${file} shrank from ${offset} to ${size} bytes; following from its start\n`,
      );
      offset = 0;
      partial = "";
    }
    if (size === offset) return;
    const fd = openSync(file, "r");
    const buf = Buffer.alloc(size - offset);
    try {
      readSync(fd, buf, 0, buf.length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    const lines = (partial + buf.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) if (l.trim()) out(json ? l : lineText(l));
  };
  await new Promise<void>((done) => {
    const timer = setInterval(poll, 250);
    process.once("SIGINT", () => {
      clearInterval(timer);
      done();
    });
  });
}

function lineText(line: string): string {
  try {
    return entryText(JSON.parse(line) as AuditRecord);
  } catch {
    return chalk.red(`(not an audit entry) ${oneLine(line)}`);
  }
}

/** An action whose failures (unreadable files, bad options) end in a message and exit 2, not a stack. */
function guarded<O>(name: string, fn: (opts: O) => Promise<void> | void): (opts: O) => Promise<void> {
  return async (opts: O) => {
    // `guard audit export | head`: a reader that stops early is not an error.
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      throw e;
    });
    try {
      await fn(opts);
    } catch (e) {
      process.stderr.write(`guard audit ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_ERROR;
    }
  };
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${v} is not a whole number`);
  return n;
}

export function registerAudit(program: Command): void {
  const audit = program
    .command("audit")
    .description("the audit trail: every decision guard made, chained and keyed");

  audit
    .command("path")
    .description("print where the audit log is")
    .action(() => out(auditPaths().log));

  audit
    .command("tail")
    .description("show the latest entries")
    .option("-n, --lines <n>", "how many entries", positiveInt, 10)
    .option("-f, --follow", "keep printing entries as they are appended")
    .option("--json", "print the entries as logged (JSON lines)")
    .action(
      guarded("tail", async (opts: { lines: number; follow?: boolean; json?: boolean }) => {
        const { log } = auditPaths();
        const lines = readLogLines(log);
        for (const l of opts.lines ? lines.slice(-opts.lines) : [])
          out(opts.json ? l.text : lineText(l.text));
        if (opts.follow) {
          let size = 0;
          try {
            size = statSync(log).size;
          } catch {
            // not written yet: follow from its start
          }
          await follow(log, size, opts.json === true);
        }
      }),
    );

  audit
    .command("stats")
    .description("what was denied, asked and approved most")
    .option("--top <n>", "how many of each", positiveInt, 10)
    .option("--json", "print JSON")
    .action(
      guarded("stats", (opts: { top: number; json?: boolean }) => {
        const s = auditStats(readAudit(), opts.top);
        out(opts.json ? JSON.stringify(s) : statsText(s));
      }),
    );

  audit
    .command("verify")
    .description(
      "check that no entry was edited, deleted, reordered, inserted or cut off; exit 1 naming the first bad entry if one was",
    )
    .option("--json", "print JSON")
    .action(
      guarded("verify", (opts: { json?: boolean }) => {
        const v = verifyAudit();
        out(opts.json ? JSON.stringify(v) : verifyText(v, auditPaths().log));
        if (!v.ok) process.exitCode = EXIT_TAMPERED;
      }),
    );

  audit
    .command("export")
    .description("print the whole trail as JSON lines (as logged) or RFC 5424 syslog lines")
    .requiredOption("--format <format>", "jsonl or syslog")
    .action(
      guarded("export", (opts: { format: string }) => {
        if (opts.format !== "jsonl" && opts.format !== "syslog")
          throw new Error(`--format must be jsonl or syslog, not ${opts.format}`);
        const lines = exportAudit(opts.format);
        if (lines.length) process.stdout.write(lines.join("\n") + "\n");
      }),
    );

  audit
    .command("suggest")
    .description("propose allow rules from repeated approvals, and list allow rules never used")
    .option("--min <n>", "approvals of the same command before suggesting a rule", positiveInt, 3)
    .option("--cwd <dir>", "read the project config of DIR")
    .option("--json", "print JSON")
    .action(
      guarded("suggest", (opts: { min: number; cwd?: string; json?: boolean }) => {
        let allowRules: AllowRuleRef[] = [];
        try {
          allowRules = allowRulesInForce(resolve(opts.cwd ?? process.cwd()));
        } catch (e) {
          process.stderr.write(
            `guard audit suggest: cannot read the config, so unused allow rules are not listed: ${e instanceof Error ? e.message : String(e)}\n`,
          );
        }
        const s = suggestRules(readAudit(), { allowRules, minApprovals: Math.max(1, opts.min) });
        out(opts.json ? JSON.stringify(s) : suggestText(s));
      }),
    );
}

// guard check: judge a command line (argument, file, or a batch of JSON lines) and report.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { readContext } from "../act/context.ts";
import { EXIT, exitCode, verdictJson } from "../act/report.ts";
import { judgeLine, loadEngine, type Loaded } from "./engine.ts";
import type { Context } from "../core/types.ts";
import { writeAll } from "./write-fd.ts";

/** Where check's output goes: this process's stdout and stderr, or the judgment server's answer. */
export interface CheckIo {
  out(text: string): void;
  err(text: string): void;
  /** The process that judged, for the audit trail (the judgment server says so). */
  readonly via?: string;
}

const FD_IO: CheckIo = { out: (t) => writeAll(1, t), err: (t) => writeAll(2, t) };

export interface CheckOptions {
  json: boolean;
  explain: boolean;
  cwd?: string;
  file?: string;
  batch: boolean;
  audit: boolean;
  command?: string;
}

export const CHECK_USAGE = `usage: guard check [--json] [--explain] [--audit] [--cwd DIR] -- '<command line>'
       guard check [--json] [--explain] [--audit] [--cwd DIR] --file FILE
       guard check --batch   (stdin: {"command": "...", "cwd": "..."} per line; stdout: one JSON result per line)
`;

export function parseCheckArgs(args: readonly string[]): CheckOptions | string {
  const o: CheckOptions = { json: false, explain: false, batch: false, audit: false };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (a === "--json") o.json = true;
    else if (a === "--explain") o.explain = true;
    else if (a === "--batch") o.batch = true;
    else if (a === "--audit") o.audit = true;
    else if (a === "--cwd" || a === "--file") {
      const v = args[i + 1];
      if (v === undefined) return `${a} needs a value`;
      if (a === "--cwd") o.cwd = v;
      else o.file = v;
      i++;
    } else if (a.startsWith("--cwd=")) o.cwd = a.slice(6);
    else if (a.startsWith("--file=")) o.file = a.slice(7);
    else if (a === "-h" || a === "--help") return "help";
    else if (a.startsWith("-") && rest.length === 0) return `unknown option ${a}`;
    else rest.push(a);
  }
  if (rest.length) o.command = rest.join(" ");
  const sources = [o.command !== undefined, o.file !== undefined, o.batch].filter(Boolean).length;
  if (sources !== 1) return "give exactly one of: a command line, --file FILE, or --batch";
  return o;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const badInput = (why: string): string =>
  JSON.stringify({ decision: "deny", reason: `core.bad-input: ${why}`, rules: [], invocations: [] });

/** Judges `--batch` input lines (one JSON object each): one JSON result per line, in order. */
export function judgeBatch(
  lines: readonly string[],
  loaded: Loaded,
  base: Context,
  cache: Map<string, Context> = new Map(),
): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let item: { command?: unknown; cwd?: unknown };
    try {
      item = JSON.parse(line) as typeof item;
    } catch {
      out.push(badInput("not a JSON object"));
      continue;
    }
    if (typeof item?.command !== "string") {
      out.push(badInput('missing "command" string'));
      continue;
    }
    let ctx = base;
    if (typeof item.cwd === "string") {
      // Another working directory; the same machine (decoys, configuration).
      ctx = cache.get(item.cwd) ?? {
        ...readContext(item.cwd),
        ...(base.decoys ? { decoys: base.decoys } : {}),
      };
      cache.set(item.cwd, ctx);
    }
    out.push(JSON.stringify(verdictJson(judgeLine(item.command, ctx, loaded))));
  }
  return out;
}

/** What `guard check` judges with: the context of `cwd` (with any planted decoys) and the engine. */
async function checkSetup(cwd: string): Promise<{ ctx: Context; loaded: Loaded }> {
  const { loadDecoyIndex } = await import("../canary/decoys.ts");
  const decoys = loadDecoyIndex();
  const ctx = { ...readContext(cwd), ...(decoys.paths.length || decoys.tokens.length ? { decoys } : {}) };
  return { ctx, loaded: loadEngine(ctx.projectRoot) };
}

async function batch(loaded: Loaded, base: Context, write: (text: string) => void): Promise<number> {
  const lines = (await readStdin()).split("\n").filter((l) => l.trim());
  const out = judgeBatch(lines, loaded, base);
  for (let i = 0; i < out.length; i += 512) write(out.slice(i, i + 512).join("\n") + "\n");
  return 0;
}

export async function runCheck(args: readonly string[], io: CheckIo = FD_IO): Promise<number> {
  const write = io.out;
  const o = parseCheckArgs(args);
  if (typeof o === "string") {
    if (o === "help") {
      write(CHECK_USAGE);
      return 0;
    }
    io.err(`guard check: ${o}\n${CHECK_USAGE}`);
    return EXIT.usage;
  }
  const cwd = resolve(o.cwd ?? process.cwd());
  const { ctx, loaded } = await checkSetup(cwd);
  if (o.batch) return batch(loaded, ctx, write);
  let command = o.command ?? "";
  if (o.file !== undefined) {
    try {
      command = readFileSync(o.file, "utf8");
    } catch (e) {
      io.err(`guard check: cannot read ${o.file}: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const v = judgeLine(command, ctx, loaded);
  if (v.hits.some((h) => h.id === "credentials.touched")) {
    const { recordAlert, referenceAlert } = await import("../canary/index.ts");
    recordAlert(referenceAlert({ command, mechanism: "check" }));
  }
  if (o.audit) {
    const { appendAudit } = await import("../act/audit/append.ts");
    const { verdictEntry } = await import("../act/audit/from-verdict.ts");
    appendAudit(
      verdictEntry({
        host: "check",
        cwd,
        command,
        verdict: v,
        ...(io.via ? { detail: { via: io.via } } : {}),
      }),
    );
  }
  if (o.json) write(JSON.stringify(verdictJson(v)) + "\n");
  else {
    const { verdictText } = await import("../act/report-text.ts");
    write(verdictText(command, v, o.explain));
  }
  return exitCode(v);
}

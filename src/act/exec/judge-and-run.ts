// guard exec and guard shell: judge the command line, ask a human when the verdict is ask, refuse when
// it is deny, and otherwise run it faithfully. Every path records to the audit trail; nothing runs
// unless the verdict, an approval or a human allowed exactly this command line.
import type { AuditHost, AuditInput } from "../audit/types.ts";
import { readContext } from "../context.ts";
import { EXIT } from "../report.ts";
import { HUMAN_DECLINED_REASON, HUMAN_SILENT_REASON, NO_HUMAN_REASON, askHuman, type AskResult } from "../prompt/ask.ts";
import { visible } from "../preview/format.ts";
import { isApproved } from "../session/approvals.ts";
import { execSession } from "../session/id.ts";
import { lockdownVerdict, recordOutcome } from "../session/lockdown.ts";
import { judgeLine, loadEngine } from "../../cli/engine.ts";
import type { Context, Decision, Verdict } from "../../core/types.ts";
import { record } from "./record.ts";
import { runCommand, type Ended, type RunSpec } from "./run.ts";

export interface ExecRequest {
  readonly host: Extract<AuditHost, "exec" | "shell">;
  /** The command line judged: exactly what `run` executes. */
  readonly command: string;
  readonly run: Omit<RunSpec, "cwd">;
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

interface Judgement {
  readonly verdict: Verdict;
  readonly ctx: Context;
  readonly timeoutSec: number;
  readonly strategy: "native" | "tty" | "deny";
}

function judge(req: ExecRequest, session: string, env: NodeJS.ProcessEnv): Judgement {
  const ctx = readContext(req.cwd, env);
  try {
    const loaded = loadEngine(ctx.projectRoot, env);
    const v = judgeLine(req.command, ctx, loaded);
    return { verdict: lockdownVerdict(session, env, v) ?? v, ctx, timeoutSec: loaded.settings.promptTimeout, strategy: loaded.settings.askStrategy[req.host] ?? "tty" };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const reason = "guard could not judge this command";
    const verdict: Verdict = { decision: "deny", reason: `core.internal-error: ${reason} (${why})`, hits: [{ id: "core.internal-error", decision: "deny", reason, span: [0, req.command.length], invocation: -1, why }], resolution: { invocations: [], signals: [] } };
    return { verdict, ctx, timeoutSec: 60, strategy: "deny" };
  }
}

function denyMessage(v: Verdict, extra?: string): string {
  const lines = [`guard: not run: ${visible(v.reason)}`];
  const seen = new Set<string>();
  for (const h of v.hits) {
    if (h.safer && !seen.has(h.id)) lines.push(`  safer: ${visible(h.safer)}`);
    seen.add(h.id);
  }
  if (extra) lines.push(extra);
  return lines.join("\n") + "\n";
}

/** Whether it runs, and what to tell the agent when it does not. */
async function resolveAsk(req: ExecRequest, j: Judgement, session: string): Promise<{ run: boolean; message?: string; prompt?: AskResult; approved?: boolean }> {
  if (isApproved(req.command, j.ctx.cwd, session, req.env)) return { run: true, approved: true };
  if (j.strategy === "deny") return { run: false, message: denyMessage(j.verdict, NO_HUMAN_REASON) };
  const prompt = await askHuman({ command: req.command, verdict: j.verdict, ctx: j.ctx, host: req.host, session, timeoutSec: j.timeoutSec });
  switch (prompt.answer) {
    case "allow-once":
    case "allow-session":
      return { run: true, prompt };
    case "no-tty":
      return { run: false, prompt, message: denyMessage(j.verdict, NO_HUMAN_REASON) };
    case "timeout":
      return { run: false, prompt, message: denyMessage(j.verdict, HUMAN_SILENT_REASON) };
    default:
      return { run: false, prompt, message: denyMessage(j.verdict, HUMAN_DECLINED_REASON) };
  }
}

export async function judgeAndRun(req: ExecRequest): Promise<Ended> {
  const env = req.env ?? process.env;
  const session = execSession(env);
  const j = judge(req, session, env);
  const v = j.verdict;
  let decision: { run: boolean; message?: string; prompt?: AskResult; approved?: boolean };
  if (v.decision === "deny") decision = { run: false, message: denyMessage(v) };
  else if (v.decision === "ask") decision = await resolveAsk(req, j, session);
  else decision = { run: true };

  const base: AuditInput = {
    kind: decision.prompt && decision.prompt.answer !== "no-tty" ? "prompt" : "decision",
    host: req.host,
    session,
    cwd: j.ctx.cwd,
    command: req.command,
    invocations: v.resolution.invocations.slice(0, 64).map((i) => ({ argv: i.argv.map((a) => a.value), via: i.via })),
    rules: [...new Set(v.hits.map((h) => h.id))],
    decision: v.decision,
    reason: v.reason,
    ...(decision.prompt ? { prompt: { shown: decision.prompt.shown, answer: decision.prompt.answer } } : {}),
    ...(decision.approved ? { detail: { approval: "remembered" } } : {}),
    outcome: { ran: decision.run },
  };
  const failed = record(base);
  if (failed && decision.run) decision = { run: false, message: `guard: not run: guard could not write its audit log (${failed}); it runs nothing it cannot record.\n` };

  const final: Decision = decision.run ? "allow" : "deny";
  let tripped = false;
  if (!v.hits.some((h) => h.id === "guard.lockdown" || h.id === "guard.session-bounds")) {
    try {
      tripped = recordOutcome(session, final, env);
    } catch (e) {
      process.stderr.write(`guard: session bounds: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  if (tripped) {
    record({ kind: "alert", host: req.host, session, cwd: j.ctx.cwd, command: req.command, reason: "the session reached its bounds and is now locked" });
    process.stderr.write("guard: this session has reached its bounds; every further command will be denied. Stop and tell your user.\n");
  }

  if (!decision.run) {
    process.stderr.write(decision.message ?? denyMessage(v));
    return { exitCode: EXIT.deny };
  }
  const ended = await runCommand({ ...req.run, cwd: j.ctx.cwd });
  record({
    kind: "decision",
    host: req.host,
    session,
    cwd: j.ctx.cwd,
    command: req.command,
    outcome: { ran: true, ...("exitCode" in ended ? { exitCode: ended.exitCode } : {}) },
    ...("signal" in ended ? { detail: { signal: ended.signal } } : {}),
  });
  return ended;
}

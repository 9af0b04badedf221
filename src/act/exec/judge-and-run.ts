// guard exec and guard shell: judge the command line, ask a human when the verdict is ask, refuse when
// it is deny, and otherwise run it faithfully. Every path records to the audit trail; nothing runs
// unless the verdict, an approval or a human allowed exactly this command line.
import type { AuditHost, AuditInput } from "../audit/types.ts";
import { EXIT } from "../report.ts";
import { execSession } from "../session/id.ts";
import { recordOutcome } from "../session/lockdown.ts";
import { consent, type Consent } from "./consent.ts";
import { judgeCommand } from "./judge.ts";
import { record } from "./record.ts";
import { runCommand, type Ended, type RunSpec } from "./run.ts";

export interface ExecRequest {
  readonly host: Extract<AuditHost, "exec" | "shell">;
  /** The command line judged: exactly what `run` executes. */
  readonly command: string;
  readonly run: Omit<RunSpec, "cwd">;
  readonly cwd: string;
}

const LOCK_RULES = new Set(["guard.lockdown", "guard.session-bounds"]);

export async function judgeAndRun(req: ExecRequest, env: NodeJS.ProcessEnv = process.env): Promise<Ended> {
  const session = execSession(env);
  const j = judgeCommand(req.command, req.cwd, req.host, session, env);
  const v = j.verdict;
  let c: Consent = await consent(req.command, req.host, j, session);
  const where = { host: req.host, session, cwd: j.ctx.cwd, command: req.command };

  const entry: AuditInput = {
    ...where,
    kind: c.prompt && c.prompt.answer !== "no-tty" ? "prompt" : "decision",
    invocations: v.resolution.invocations
      .slice(0, 64)
      .map((i) => ({ argv: i.argv.map((a) => a.value), via: i.via })),
    rules: [...new Set(v.hits.map((h) => h.id))],
    decision: v.decision,
    reason: v.reason,
    ...(c.prompt ? { prompt: { shown: c.prompt.shown, answer: c.prompt.answer } } : {}),
    ...(c.remembered ? { detail: { approval: "remembered" } } : {}),
    outcome: { ran: c.run },
  };
  const failed = record(entry);
  if (failed && c.run)
    c = {
      run: false,
      message: `guard: not run: guard could not write its audit log (${failed}); it runs nothing it cannot record.\n`,
    };

  if (!v.hits.some((h) => LOCK_RULES.has(h.id))) {
    let tripped = false;
    try {
      tripped = recordOutcome(session, c.run ? "allow" : "deny", env, j.bounds);
    } catch (e) {
      process.stderr.write(`guard: session bounds: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    if (tripped) {
      record({ ...where, kind: "alert", reason: "the session reached its bounds and is now locked" });
      process.stderr.write(
        "guard: this session has reached its bounds; every further command will be denied. Stop and tell your user.\n",
      );
    }
  }

  if (!c.run) {
    process.stderr.write(c.message ?? "guard: not run.\n");
    return { exitCode: EXIT.deny };
  }
  const ended = await runCommand({ ...req.run, cwd: j.ctx.cwd });
  record({
    ...where,
    kind: "decision",
    outcome: { ran: true, ...("exitCode" in ended ? { exitCode: ended.exitCode } : {}) },
    ...("signal" in ended ? { detail: { signal: ended.signal } } : {}),
  });
  return ended;
}

// What the hook does besides judging: decoys, lockdown, the TTY prompt, the audit trail, alert notices.
// Kept behind one interface so the hook's decision logic stays testable and the hot path stays small.
import type { Context, Verdict } from "../core/types.ts";
import type { HookPayload } from "../act/hooks/payload.ts";
import type { Host, HookReply } from "../act/hooks/reply.ts";
import { appendAudit } from "../act/audit/append.ts";
import { lockdownVerdict, recordOutcome } from "../act/session/lockdown.ts";
import { isApproved } from "../act/session/approvals.ts";
import { NO_HUMAN_REASON } from "../act/prompt/reasons.ts";
import { loadDecoyIndex } from "../canary/decoys.ts";
import { markAlertsShown, pendingAlerts } from "../canary/alerts.ts";
import { verdictEntry } from "../act/audit/from-verdict.ts";

export type TtyAnswer = "allow-once" | "allow-session" | "deny" | "timeout" | "no-tty";

export interface HookEffects {
  decoys(): Pick<Context, "decoys">;
  /** A deny verdict when guard is locked down (or the session's breaker tripped), else undefined. */
  locked(session: string | undefined): Verdict | undefined;
  askOnTty(
    display: string,
    v: Verdict,
    ctx: Context,
    host: Host,
    session: string | undefined,
    timeoutSec: number,
  ): Promise<TtyAnswer>;
  readonly noHumanReason: string;
  /** This process can put a prompt on the human's terminal (the judgment server cannot). */
  readonly canPrompt: boolean;
  record(
    p: HookPayload | undefined,
    display: string,
    v: Verdict | undefined,
    reply: HookReply,
  ): Promise<void>;
  /** A message for the human (pending canary alerts), shown by the host. */
  notice(): Promise<string | undefined>;
}

/** A command the human already approved for this session (allow this exact command for N minutes). */
export function approvedBefore(command: string, cwd: string, session: string | undefined): boolean {
  try {
    return isApproved(command, cwd, session);
  } catch {
    return false;
  }
}

/** `via` names the process that judged, for the audit trail (the judgment server says so). */
export function hookSideEffects(_host: Host, via?: string): HookEffects {
  let lastPrompt: { shown: string; answer: string } | undefined;
  return {
    decoys: () => {
      const d = loadDecoyIndex();
      return d.paths.length || d.tokens.length ? { decoys: d } : {};
    },
    locked: (session) => lockdownVerdict(session),
    askOnTty: async (display, verdict, ctx, host, session, timeoutSec) => {
      const { askHuman } = await import("../act/prompt/ask.ts");
      const r = await askHuman({
        command: display,
        verdict,
        ctx,
        host,
        ...(session ? { session } : {}),
        timeoutSec,
      });
      lastPrompt = { shown: r.shown, answer: r.answer };
      return r.answer;
    },
    noHumanReason: NO_HUMAN_REASON,
    canPrompt: via === undefined,
    record: async (p, display, v, reply) => {
      const answer =
        /"permissionDecision":"(\w+)"/.exec(reply.stdout)?.[1] ?? (reply.stdout ? "message" : "none");
      const verdict: Verdict = v ?? {
        decision: "deny",
        reason: "guard could not judge this tool call",
        hits: [],
        resolution: { invocations: [], signals: [] },
      };
      appendAudit(
        verdictEntry({
          host: _host,
          cwd: p?.cwd ?? process.cwd(),
          command: display || "(unreadable hook input)",
          verdict,
          ...(p?.sessionId ? { session: p.sessionId } : {}),
          ...(p?.agent || p?.toolUseId ? { agent: [p.agent, p.toolUseId].filter(Boolean).join(" ") } : {}),
          ...(lastPrompt ? { prompt: lastPrompt } : {}),
          detail: {
            tool: p?.toolName ?? null,
            replied: answer,
            ...(p?.permissionMode ? { mode: p.permissionMode } : {}),
            ...(via ? { via } : {}),
          },
        }),
      );
      if (p?.sessionId && v) recordOutcome(p.sessionId, answer === "deny" ? "deny" : v.decision);
      if (v?.hits.some((h) => h.id === "credentials.touched")) {
        const { recordAlert, referenceAlert } = await import("../canary/index.ts");
        recordAlert(
          referenceAlert({
            command: display,
            mechanism: "hook",
            ...(p?.sessionId ? { session: p.sessionId } : {}),
          }),
        );
      }
    },
    notice: async () => {
      const pending = pendingAlerts();
      if (!pending.length) return undefined;
      markAlertsShown();
      const { alertNotice } = await import("../canary/index.ts");
      return alertNotice(pending);
    },
  };
}

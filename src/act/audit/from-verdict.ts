// Turns a verdict into the audit entry every caller records, so hooks, exec and check write the same shape.
import type { Verdict } from "../../core/types.ts";
import type { AuditHost, AuditInput, AuditOutcome, AuditPrompt } from "./types.ts";

export interface VerdictEntry {
  readonly host: AuditHost;
  readonly cwd: string;
  readonly command: string;
  readonly verdict: Verdict;
  readonly session?: string;
  readonly agent?: string;
  readonly prompt?: AuditPrompt;
  readonly outcome?: AuditOutcome;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export function verdictEntry(e: VerdictEntry): AuditInput {
  const v = e.verdict;
  return {
    kind: e.prompt ? "prompt" : "decision",
    host: e.host,
    ...(e.session ? { session: e.session } : {}),
    ...(e.agent ? { agent: e.agent } : {}),
    cwd: e.cwd,
    command: e.command.length > 8192 ? e.command.slice(0, 8192) + `… (${e.command.length} bytes)` : e.command,
    invocations: v.resolution.invocations
      .slice(0, 64)
      .map((i) => ({ argv: i.argv.slice(0, 64).map((a) => a.value.slice(0, 512)), via: i.via })),
    rules: [...new Set(v.hits.map((h) => h.id))],
    decision: v.decision,
    reason: v.reason,
    ...(e.prompt ? { prompt: e.prompt } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
  };
}

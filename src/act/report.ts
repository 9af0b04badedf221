// Renders verdicts for programs (JSON) and maps them to exit codes. Text for people is in report-text.ts.
import type { Invocation, Verdict } from "../core/types.ts";

export const EXIT = { allow: 0, usage: 2, ask: 3, deny: 4 } as const;

export function exitCode(v: Verdict): number {
  return v.decision === "deny" ? EXIT.deny : v.decision === "ask" ? EXIT.ask : EXIT.allow;
}

/** The verdict as printed: "none" (no rule had an opinion) is reported as allow. */
export function shownDecision(v: Verdict): "allow" | "ask" | "deny" {
  return v.decision === "none" ? "allow" : v.decision;
}

function invocationJson(inv: Invocation) {
  return {
    argv: inv.argv.map((a) => a.value),
    ...(inv.argv.some((a) => a.dynamic) ? { dynamic: inv.argv.map((a) => a.dynamic) } : {}),
    cwd: inv.cwd ?? null,
    via: inv.via,
    span: inv.span,
    ...(inv.remote ? { remote: true } : {}),
    ...(inv.redirects.length
      ? { redirects: inv.redirects.map((r) => ({ op: r.op, target: r.target?.value ?? null })) }
      : {}),
  };
}

export function verdictJson(v: Verdict) {
  return {
    decision: shownDecision(v),
    reason: v.reason,
    rules: v.hits.map((h) => ({
      id: h.id,
      decision: h.decision,
      reason: h.reason,
      span: h.span,
      ...(h.safer ? { safer: h.safer } : {}),
    })),
    invocations: v.resolution.invocations.map(invocationJson),
  };
}

// The decision algebra, in one place: a line's verdict is the strictest verdict of anything it runs.
// deny > ask > allow > none. "none" means no rule had an opinion, so the host's own permissions apply.
import type { Decision, Resolution, RuleHit, Verdict } from "../core/types.ts";

const RANK: Record<Decision, number> = { none: 0, allow: 1, ask: 2, deny: 3 };

export function strictest(a: Decision, b: Decision): Decision {
  return RANK[a] >= RANK[b] ? a : b;
}

export function decide(hits: readonly RuleHit[], resolution: Resolution): Verdict {
  let decision: Decision = "none";
  for (const h of hits) decision = strictest(decision, h.decision);
  // Hits that set the verdict first, then the rest, each group in the order they occur in the line.
  const ordered = [...hits].sort((x, y) => RANK[y.decision] - RANK[x.decision] || x.span[0] - y.span[0]);
  const top = ordered[0];
  const reason = top && decision !== "none" ? `${top.id}: ${top.reason}` : "no rule matched";
  return { decision, reason, hits: ordered, resolution };
}

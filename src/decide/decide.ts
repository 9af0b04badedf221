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
  // One hit per rule and span: a rule met again through another reading of the same words (a glob
  // expanded, a launcher unwrapped) adds nothing.
  const seen = new Set<string>();
  const ordered = [...hits]
    .sort((x, y) => RANK[y.decision] - RANK[x.decision] || x.span[0] - y.span[0])
    .filter((h) => {
      const key = `${h.id} ${h.decision} ${h.span[0]} ${h.span[1]}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const top = ordered[0];
  const reason = top && decision !== "none" ? `${top.id}: ${top.reason}` : "no rule matched";
  return { decision, reason, hits: ordered, resolution };
}

// Whether a judged command may run, and what the agent is told when it may not. An ask runs only with a
// remembered approval of exactly this command or a human's answer at the terminal; the agent is never
// told how approval works.
import {
  HUMAN_DECLINED_REASON,
  HUMAN_SILENT_REASON,
  NO_HUMAN_REASON,
  askHuman,
  type AskResult,
} from "../prompt/ask.ts";
import { visible } from "../preview/format.ts";
import { isApproved } from "../session/approvals.ts";
import type { Verdict } from "../../core/types.ts";
import type { Judgement } from "./judge.ts";

export interface Consent {
  readonly run: boolean;
  /** For stderr when it does not run. */
  readonly message?: string;
  readonly prompt?: AskResult;
  /** Ran on an approval the human gave earlier for this exact command. */
  readonly remembered?: boolean;
}

export function denyMessage(v: Verdict, extra?: string): string {
  const lines = [`guard: not run: ${visible(v.reason)}`];
  const seen = new Set<string>();
  for (const h of v.hits) {
    if (h.safer && !seen.has(h.id)) lines.push(`  safer: ${visible(h.safer)}`);
    seen.add(h.id);
  }
  if (extra) lines.push(extra);
  return lines.join("\n") + "\n";
}

export async function consent(
  command: string,
  host: string,
  j: Judgement,
  session: string,
): Promise<Consent> {
  const v = j.verdict;
  if (v.decision === "deny") return { run: false, message: denyMessage(v) };
  if (v.decision !== "ask") return { run: true };
  if (isApproved(command, j.ctx.cwd, session)) return { run: true, remembered: true };
  if (j.strategy === "deny") return { run: false, message: denyMessage(v, NO_HUMAN_REASON) };
  const prompt = await askHuman({ command, verdict: v, ctx: j.ctx, host, session, timeoutSec: j.timeoutSec });
  switch (prompt.answer) {
    case "allow-once":
    case "allow-session":
      return { run: true, prompt };
    case "no-tty":
      return { run: false, prompt, message: denyMessage(v, NO_HUMAN_REASON) };
    case "timeout":
      return { run: false, prompt, message: denyMessage(v, HUMAN_SILENT_REASON) };
    default:
      return { run: false, prompt, message: denyMessage(v, HUMAN_DECLINED_REASON) };
  }
}

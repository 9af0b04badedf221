// Asks the human at the controlling terminal whether a command may run. Never stdin, stdout or stderr:
// the agent holds those. The answer is a word drawn for this prompt and shown only on the terminal.
import type { Context, Verdict } from "../../core/types.ts";
import { previewVerdict } from "../preview/preview.ts";
import { rememberApproval } from "../session/approvals.ts";
import { parseAnswer } from "./answer.ts";
import { challengeWord } from "./challenge.ts";
import { renderPrompt } from "./render.ts";
import { openTty } from "./tty.ts";

export type HumanAnswer = "allow-once" | "allow-session" | "deny" | "timeout" | "no-tty";

export interface AskRequest {
  readonly command: string;
  readonly verdict: Verdict;
  readonly ctx: Context;
  readonly host: string;
  readonly session?: string;
  readonly timeoutSec: number;
}

export interface AskResult {
  readonly answer: HumanAnswer;
  /** What the human was shown, in plain text, with the approval word replaced by <word>. */
  readonly shown: string;
  /** For allow-session: how long the approval lasts (askHuman has already remembered it). */
  readonly minutes?: number;
}

export { NO_HUMAN_REASON, HUMAN_DECLINED_REASON, HUMAN_SILENT_REASON } from "./reasons.ts";

export async function askHuman(req: AskRequest): Promise<AskResult> {
  const tty = openTty();
  if (!tty) return { answer: "no-tty", shown: "" };
  try {
    tty.write("\x07\n" + "guard: preparing a preview…\r");
    const preview = previewVerdict(req.verdict, req.ctx);
    const word = challengeWord();
    const colour = !process.env["NO_COLOR"] && process.env["TERM"] !== "dumb";
    const text = renderPrompt({ ...req, preview }, word, colour);
    tty.write("\x1b[2K" + text.tty);
    const deadline = Date.now() + req.timeoutSec * 1000;
    for (;;) {
      tty.write("> ");
      const r = await tty.readLine(deadline - Date.now());
      if (r.kind === "timeout") {
        tty.write(`guard: no answer within ${req.timeoutSec} s: denied.\n`);
        return { answer: "timeout", shown: text.plain };
      }
      if (r.kind === "cancel") {
        tty.write("guard: denied.\n");
        return { answer: "deny", shown: text.plain };
      }
      // A bare Enter is more likely a keystroke meant for something else than an answer: ask again.
      if (!r.text.trim()) continue;
      const choice = parseAnswer(r.text, word);
      if (choice.answer === "allow-session") {
        try {
          rememberApproval(req.command, req.ctx.cwd, req.session, choice.minutes);
        } catch (e) {
          tty.write(
            `guard: allowed once; the approval could not be saved (${e instanceof Error ? e.message : String(e)}).\n`,
          );
          return { answer: "allow-once", shown: text.plain };
        }
        tty.write(`guard: allowed; this exact command is approved here for ${choice.minutes} min.\n`);
        return { answer: "allow-session", shown: text.plain, minutes: choice.minutes };
      }
      tty.write(choice.answer === "allow-once" ? "guard: allowed once.\n" : "guard: denied.\n");
      return { answer: choice.answer, shown: text.plain };
    }
  } finally {
    tty.close();
  }
}

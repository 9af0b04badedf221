// A human confirms a protected act (uninstall, trust) on the controlling terminal, by typing a word shown
// only there. No terminal, a wrong word or silence: the act does not happen.
import { openTty } from "./prompt/tty.ts";
import { challengeWord } from "./prompt/challenge.ts";

export type Confirmation =
  { readonly ok: true } | { readonly ok: false; readonly why: "no-tty" | "declined" | "timeout" };

export async function confirmOnTty(
  lines: readonly string[],
  action: string,
  timeoutSec = 60,
): Promise<Confirmation> {
  const tty = openTty();
  if (!tty) return { ok: false, why: "no-tty" };
  try {
    const word = challengeWord();
    tty.write(
      "\x07" +
        ["── guard ──", ...lines, `Type ${word} to ${action}; anything else cancels.`, "> "].join("\n"),
    );
    const r = await tty.readLine(timeoutSec * 1000);
    if (r.kind === "timeout") return { ok: false, why: "timeout" };
    if (r.kind !== "line" || r.text.trim().toLowerCase() !== word) {
      tty.write("guard: cancelled.\n");
      return { ok: false, why: "declined" };
    }
    return { ok: true };
  } finally {
    tty.close();
  }
}

export const NEEDS_TTY =
  "this command changes guard's protection, so it needs a human at a terminal: run it yourself in a terminal.";

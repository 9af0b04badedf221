// guard unlock: lifting the kill switch takes a human at the terminal (kept apart from lockdown.ts, which
// every hook call loads, so the terminal code loads only when someone unlocks).
import { challengeWord } from "../prompt/challenge.ts";
import { openTty } from "../prompt/tty.ts";
import { visible } from "../preview/format.ts";
import { readSessions, sessionsFile } from "./bounds.ts";
import { lockdownFile, lockState } from "./lockdown.ts";
import { readState, removeState, updateState } from "./store.ts";

export interface UnlockResult {
  readonly ok: boolean;
  readonly message: string;
  /** What the human was shown (plain, without the word), for the audit trail. */
  readonly shown: string;
}

/** Lifts the lockdown and every tripped session, after a human types the word shown on the terminal. */
export async function unlock(timeoutSec = 60, env: NodeJS.ProcessEnv = process.env): Promise<UnlockResult> {
  const global = lockState(undefined, env);
  let tripped: [string, { since: string; reason: string }][] = [];
  try {
    tripped = Object.entries(readSessions(readState(sessionsFile(env)))).flatMap(([k, s]) =>
      s.tripped ? [[k, s.tripped] as [string, { since: string; reason: string }]] : [],
    );
  } catch {
    // unreadable counters: unlocking resets them below
  }
  if (!global && !tripped.length) return { ok: true, message: "guard is not locked.", shown: "" };
  const tty = openTty();
  if (!tty)
    return {
      ok: false,
      message: "guard unlock needs a human at a terminal: run it yourself in a terminal.",
      shown: "",
    };
  try {
    const lines = ["── guard ── unlock"];
    if (global)
      lines.push(
        `locked down since ${visible(global.since)}${global.reason ? `: ${visible(global.reason)}` : ""}`,
      );
    for (const [k, t] of tripped.slice(0, 10))
      lines.push(`session ${visible(k)} stopped since ${t.since}: ${visible(t.reason)}`);
    const word = challengeWord();
    const shown = [...lines, "Type <word> to unlock; anything else keeps guard locked."].join("\n");
    tty.write(
      "\x07" + [...lines, `Type ${word} to unlock; anything else keeps guard locked.`, "> "].join("\n"),
    );
    const r = await tty.readLine(timeoutSec * 1000);
    if (r.kind !== "line" || r.text.trim().toLowerCase() !== word) {
      tty.write("guard: still locked.\n");
      return {
        ok: false,
        message: r.kind === "timeout" ? "no answer: guard stays locked." : "guard stays locked.",
        shown,
      };
    }
    removeState(lockdownFile(env));
    updateState(sessionsFile(env), () => ({}));
    tty.write("guard: unlocked.\n");
    return { ok: true, message: "guard is unlocked.", shown };
  } finally {
    tty.close();
  }
}

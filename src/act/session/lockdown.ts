// The kill switch. Anyone may pull it (`guard lockdown`, the agent included); from then on every judged
// command is denied until a human confirms `guard unlock` at the terminal. A session whose bounds tripped
// is locked the same way. State: stateDir()/lockdown.json and stateDir()/sessions.json.
import type { Verdict } from "../../core/types.ts";
import { challengeWord } from "../prompt/challenge.ts";
import { openTty } from "../prompt/tty.ts";
import { visible } from "../preview/format.ts";
import { readSessions, sessionsFile } from "./bounds.ts";
import { readState, removeState, stateFile, updateState, writeState } from "./store.ts";

export { recordOutcome, readBounds, type Bounds } from "./bounds.ts";

export interface LockState {
  readonly scope: "global" | "session";
  readonly since: string;
  readonly reason: string;
}

export function lockdownFile(env: NodeJS.ProcessEnv = process.env): string {
  return stateFile("lockdown.json", env);
}

/** Why commands are denied now, or undefined. A lockdown file that cannot be read still locks. */
export function lockState(session?: string, env: NodeJS.ProcessEnv = process.env): LockState | undefined {
  try {
    const data = readState(lockdownFile(env)) as { since?: unknown; reason?: unknown } | undefined;
    if (data !== undefined)
      return { scope: "global", since: String(data?.since ?? "?"), reason: String(data?.reason ?? "") };
  } catch {
    return { scope: "global", since: "?", reason: "the lockdown file exists but cannot be read" };
  }
  if (session === undefined) return undefined;
  let sessions;
  try {
    sessions = readSessions(readState(sessionsFile(env)));
  } catch {
    return undefined;
  }
  const t = Object.hasOwn(sessions, session) ? sessions[session]?.tripped : undefined;
  return t ? { scope: "session", since: t.since, reason: t.reason } : undefined;
}

export function isLocked(session?: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return lockState(session, env) !== undefined;
}

export function lock(reason: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = lockdownFile(env);
  if (readStateSafe(file) !== undefined) return; // keep the first reason and time
  writeState(file, {
    since: new Date().toISOString(),
    reason: reason.slice(0, 500),
    pid: process.pid,
    ppid: process.ppid,
  });
}

function readStateSafe(file: string): unknown {
  try {
    return readState(file);
  } catch {
    return {};
  }
}

/** The deny verdict for a command while guard or the session is locked, else undefined. */
export function lockdownVerdict(
  session?: string,
  env: NodeJS.ProcessEnv = process.env,
  base?: Verdict,
): Verdict | undefined {
  const s = lockState(session, env);
  if (!s) return undefined;
  const id = s.scope === "global" ? "guard.lockdown" : "guard.session-bounds";
  const why =
    s.scope === "global"
      ? `guard is locked down (since ${s.since}${s.reason ? `: ${s.reason}` : ""})`
      : `this session reached its bounds (${s.reason})`;
  const reason = `${why}; no command runs until your user lifts it. Stop and tell your user.`;
  return {
    decision: "deny",
    reason: `${id}: ${reason}`,
    hits: [{ id, decision: "deny", reason, span: [0, 0], invocation: -1, why }, ...(base?.hits ?? [])],
    resolution: base?.resolution ?? { invocations: [], signals: [] },
  };
}

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

// The kill switch. Anyone may pull it (`guard lockdown`, the agent included); from then on every judged
// command is denied until a human confirms `guard unlock` at the terminal. A session whose bounds tripped
// is locked the same way. State: stateDir()/lockdown.json and stateDir()/sessions.json.
import type { Verdict } from "../../core/types.ts";
import { readSessions, sessionsFile } from "./bounds.ts";
import { readState, stateFile, writeState } from "./store.ts";

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

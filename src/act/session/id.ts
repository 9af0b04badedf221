// Which agent session a `guard exec` / `guard shell` process belongs to, for approvals and bounds.
import { readFileSync } from "node:fs";

/**
 * GUARD_SESSION when the host sets it; Claude Code's session id (the one its hooks see, so approvals
 * given at either place match); otherwise the Unix session of the process (every command started from
 * one terminal or one agent process tree shares it); otherwise the parent process.
 */
export function execSession(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env["GUARD_SESSION"] || env["CLAUDE_CODE_SESSION_ID"];
  if (explicit) return explicit.slice(0, 200);
  const sid = unixSession();
  return sid !== undefined ? `sid:${sid}` : `ppid:${process.ppid}`;
}

/** Fields of /proc/self/stat after the command name: state, ppid, pgrp, session, tty_nr, tpgid. */
export function procStat(): { pgrp: number; session: number; ttyNr: number; tpgid: number } | undefined {
  try {
    const text = readFileSync("/proc/self/stat", "utf8");
    const f = text
      .slice(text.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const [, , pgrp, session, ttyNr, tpgid] = f;
    if (pgrp === undefined || session === undefined || ttyNr === undefined || tpgid === undefined)
      return undefined;
    return { pgrp, session, ttyNr, tpgid };
  } catch {
    return undefined;
  }
}

function unixSession(): number | undefined {
  return procStat()?.session;
}

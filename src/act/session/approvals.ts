// Approvals a human gave on the TTY for "this exact command, in this directory, in this session, for N
// minutes". Stored in guard's state directory (stateDir()/approvals.json), which self-protection covers.
import { hex, sha256 } from "../hash/sha256.ts";
import { readState, stateFile, updateState } from "./store.ts";

interface Approval {
  readonly key: string;
  readonly command: string;
  readonly cwd: string;
  readonly session: string;
  /** Epoch milliseconds. */
  readonly expires: number;
}

/** Longest approval a human can give in one answer. */
export const MAX_APPROVAL_MINUTES = 480;

export function approvalsFile(env: NodeJS.ProcessEnv = process.env): string {
  return stateFile("approvals.json", env);
}

function keyOf(command: string, cwd: string, session: string): string {
  return hex(sha256(JSON.stringify([command, cwd, session])));
}

function list(data: unknown): Approval[] {
  const items = data && typeof data === "object" ? (data as { approvals?: unknown }).approvals : undefined;
  return Array.isArray(items)
    ? (items as Approval[]).filter((a) => a && typeof a.key === "string" && typeof a.expires === "number")
    : [];
}

/** True when a human approved exactly this command line, in this cwd and session, and it has not expired. */
export function isApproved(
  command: string,
  cwd: string,
  session?: string,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  let data: unknown;
  try {
    data = readState(approvalsFile(env));
  } catch {
    return false; // unreadable approvals approve nothing
  }
  const key = keyOf(command, cwd, session ?? "");
  const now = Date.now();
  return list(data).some((a) => a.key === key && a.expires > now);
}

export function rememberApproval(
  command: string,
  cwd: string,
  session: string | undefined,
  minutes: number,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const span = Math.min(Math.max(1, Math.floor(minutes)), MAX_APPROVAL_MINUTES);
  const now = Date.now();
  const s = session ?? "";
  const key = keyOf(command, cwd, s);
  updateState(approvalsFile(env), (current) => ({
    version: 1,
    approvals: [
      ...list(current).filter((a) => a.expires > now && a.key !== key),
      { key, command, cwd, session: s, expires: now + span * 60_000 },
    ],
  }));
}

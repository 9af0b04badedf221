// The shape of the audit trail: what a caller records, and the chained, keyed line guard writes for it.
import type { Decision } from "../../core/types.ts";

/** decision: a verdict on a command; prompt: a human was asked; admin: guard's own protected commands; alert: canaries and integrity. */
export type AuditKind = "decision" | "prompt" | "admin" | "alert";

/** Where the command came from. */
export type AuditHost = "claude-code" | "codex" | "exec" | "shell" | "check" | "cli" | "canary";

export interface AuditInvocation {
  readonly argv: readonly string[];
  /** Wrappers it came through, outermost first ("sudo", "bash -c"). */
  readonly via: readonly string[];
}

export interface AuditPrompt {
  /** What the human was shown, as shown. */
  readonly shown: string;
  /** The human's answer as recorded: "approve", "deny", "timeout", "no-tty", or the text typed. */
  readonly answer: string;
}

export interface AuditOutcome {
  readonly exitCode?: number;
  /** False when the command never started (denied, or the human said no). */
  readonly ran?: boolean;
}

/** What a caller records. */
export interface AuditInput {
  readonly kind: AuditKind;
  readonly host: AuditHost;
  readonly session?: string;
  /** The agent's identity where the host says (model, agent name, tool-use id). */
  readonly agent?: string;
  readonly cwd: string;
  readonly command: string;
  readonly invocations?: readonly AuditInvocation[];
  /** Ids of every rule that matched. */
  readonly rules?: readonly string[];
  readonly decision?: Decision;
  readonly reason?: string;
  readonly prompt?: AuditPrompt;
  readonly outcome?: AuditOutcome;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** One line of the log: the input plus its place in the chain. */
export interface AuditRecord extends AuditInput {
  /** 1 for the first entry, then +1 per entry. */
  readonly seq: number;
  /** ISO 8601, UTC. */
  readonly time: string;
  /** The previous entry's mac; for the first entry, the key id (so the chain commits to its key). */
  readonly prev: string;
  /** HMAC-SHA256 (hex) of the canonical JSON of this entry without `mac`. */
  readonly mac: string;
}

export interface AuditOptions {
  /** Directory holding the log, head, key and lock; defaults to guard's XDG state directory. */
  readonly dir?: string;
}

export interface BadEntry {
  /** 0-based position in the log (equal to the entry count when entries are missing at the end). */
  readonly index: number;
  /** 1-based line number in the log file. */
  readonly line: number;
  readonly seq?: number;
  readonly problem: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** Entries read (lines that are not blank). */
  readonly count: number;
  readonly firstBad?: BadEntry;
  /** The last sequence number the head file records, when it is intact. */
  readonly headSeq?: number;
}

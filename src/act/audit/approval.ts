// When an entry counts as asked, and as approved by the human.
import type { AuditRecord } from "./types.ts";

const APPROVING_ANSWERS = new Set([
  "allow-once",
  "allow-session",
  "approve",
  "approved",
  "allow",
  "allowed",
  "allow-once",
  "allow-always",
  "yes",
  "y",
]);

export function wasAsked(r: AuditRecord): boolean {
  return r.decision === "ask";
}

/** Asked, and then a human said yes (or the command ran, when the host asked in its own dialog). */
export function wasApproved(r: AuditRecord): boolean {
  if (!wasAsked(r)) return false;
  if (r.prompt) return APPROVING_ANSWERS.has(r.prompt.answer.trim().toLowerCase());
  return r.outcome?.ran === true;
}

// The one place exec and shell write to the audit trail.
import { appendAudit } from "../audit/append.ts";
import type { AuditInput } from "../audit/types.ts";

/** Appends the entry; returns why it could not, or undefined. */
export function record(entry: AuditInput): string | undefined {
  try {
    appendAudit(entry);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// Turns an input into a sealed log line (seq, time, prev, mac), and a log line back into a record.
import { canonicalJson } from "./canonical.ts";
import { hmac, type AuditKey } from "./key.ts";
import type { AuditInput, AuditRecord } from "./types.ts";

const KINDS = new Set(["decision", "prompt", "admin", "alert"]);

export interface ChainPosition {
  readonly seq: number;
  readonly prev: string;
}

/** The entry's MAC: over the canonical JSON of every field but `mac` itself. */
export function entryMac(key: AuditKey, entry: Readonly<Record<string, unknown>>): string {
  const rest: Record<string, unknown> = { ...entry };
  delete rest["mac"];
  return hmac(key, "entry", canonicalJson(rest));
}

/** The record and its line (with the newline). Field order is for readers; the MAC does not depend on it. */
export function sealRecord(
  input: AuditInput,
  at: ChainPosition,
  time: Date,
  key: AuditKey,
): { record: AuditRecord; line: string } {
  const i = input;
  const draft = {
    seq: at.seq,
    time: time.toISOString(),
    kind: i.kind,
    host: i.host,
    session: i.session,
    agent: i.agent,
    cwd: i.cwd,
    command: i.command,
    invocations: i.invocations?.map((v) => ({ argv: v.argv, via: v.via })),
    rules: i.rules,
    decision: i.decision,
    reason: i.reason,
    prompt: i.prompt && { shown: i.prompt.shown, answer: i.prompt.answer },
    outcome: i.outcome,
    detail: i.detail,
    prev: at.prev,
  };
  // Through JSON once, so the MAC covers exactly what a reader of the line will parse (no undefined,
  // no toJSON objects, no NaN).
  const plain = JSON.parse(JSON.stringify(draft)) as Record<string, unknown>;
  const mac = entryMac(key, plain);
  const record = { ...plain, mac } as unknown as AuditRecord;
  return { record, line: JSON.stringify(record) + "\n" };
}

/** A parsed line, or why it is not an audit entry. */
export function parseRecord(text: string): { record: AuditRecord; raw: Record<string, unknown> } | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "it is not JSON";
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) return "it is not a JSON object";
  const o = v as Record<string, unknown>;
  if (!Number.isSafeInteger(o["seq"])) return "it has no seq";
  for (const k of ["time", "host", "cwd", "command", "prev", "mac"]) {
    if (typeof o[k] !== "string") return `it has no ${k}`;
  }
  if (!KINDS.has(o["kind"] as string)) return "its kind is not decision, prompt, admin or alert";
  return { record: o as unknown as AuditRecord, raw: o };
}

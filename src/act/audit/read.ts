// Reads the log: its lines as written (for verify and export) and the entries they hold.
import { readFileSync } from "node:fs";
import { auditPaths } from "./paths.ts";
import { parseRecord } from "./record.ts";
import type { AuditOptions, AuditRecord } from "./types.ts";

export interface LogLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly text: string;
}

/** The non-blank lines of a log file; none when it does not exist. */
export function readLogLines(file: string): LogLine[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: LogLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i] as string;
    if (t.trim()) out.push({ line: i + 1, text: t });
  }
  return out;
}

/** Every well-formed entry, oldest first. Does not check MACs: that is `verifyAudit`. */
export function readAudit(opts: AuditOptions = {}): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const l of readLogLines(auditPaths(opts.dir).log)) {
    const p = parseRecord(l.text);
    if (typeof p !== "string") out.push(p.record);
  }
  return out;
}

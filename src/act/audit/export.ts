// The trail in other formats: JSON lines exactly as written (verifiable elsewhere), or RFC 5424 syslog
// lines for a collector that keeps its own copy out of the agent's reach.
import { hostname } from "node:os";
import { auditPaths } from "./paths.ts";
import { readLogLines } from "./read.ts";
import { parseRecord } from "./record.ts";
import type { AuditOptions, AuditRecord } from "./types.ts";

export type ExportFormat = "jsonl" | "syslog";

/** RFC 5424 facility 13: log audit. */
const FACILITY = 13;
/** Private enterprise number reserved for documentation (RFC 5612). */
const SD_ID = "guard@32473";

function severity(r: AuditRecord): number {
  if (r.kind === "alert") return 1; // alert
  if (r.decision === "deny") return 4; // warning
  if (r.decision === "ask") return 5; // notice
  return 6; // informational
}

function sdValue(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => "\\" + c);
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, "\\n");
}

export function syslogLine(r: AuditRecord, hostname: string): string {
  const params: [string, string | number | undefined][] = [
    ["seq", r.seq],
    ["kind", r.kind],
    ["host", r.host],
    ["session", r.session],
    ["agent", r.agent],
    ["decision", r.decision],
    ["rules", r.rules?.join(",")],
    ["answer", r.prompt?.answer],
    ["exit", r.outcome?.exitCode],
    ["cwd", r.cwd],
    ["mac", r.mac],
  ];
  const sd = params
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}="${sdValue(String(v))}"`)
    .join(" ");
  const what = r.kind === "alert" ? `alert: ${r.reason ?? ""}` : `${r.decision ?? r.kind}: ${r.command}`;
  const msg = oneLine(r.reason && r.kind !== "alert" ? `${what} (${r.reason})` : what);
  return `<${FACILITY * 8 + severity(r)}>1 ${r.time} ${hostname || "-"} guard - ${r.kind} [${SD_ID} ${sd}] ${msg}`;
}

/** The trail as lines in `format` (without newlines). jsonl keeps every line byte for byte, damaged ones too. */
export function exportAudit(
  format: ExportFormat,
  opts: AuditOptions & { readonly hostname?: string } = {},
): string[] {
  const lines = readLogLines(auditPaths(opts.dir).log);
  if (format === "jsonl") return lines.map((l) => l.text);
  const host = opts.hostname ?? hostname();
  const out: string[] = [];
  for (const l of lines) {
    const p = parseRecord(l.text);
    if (typeof p !== "string") out.push(syslogLine(p.record, host));
  }
  return out;
}

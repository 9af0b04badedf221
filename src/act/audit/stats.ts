// What the trail says was denied, asked and approved most, by rule and by command.
import { wasApproved, wasAsked } from "./approval.ts";
import type { AuditRecord } from "./types.ts";

export interface Tally {
  readonly key: string;
  readonly count: number;
  /** The most recent command behind this count. */
  readonly example: string;
}

export interface AuditStats {
  readonly count: number;
  readonly from?: string;
  readonly to?: string;
  readonly byDecision: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, number>>;
  readonly byHost: Readonly<Record<string, number>>;
  readonly denied: { readonly rules: readonly Tally[]; readonly commands: readonly Tally[] };
  readonly asked: { readonly rules: readonly Tally[]; readonly commands: readonly Tally[] };
  readonly approved: { readonly rules: readonly Tally[]; readonly commands: readonly Tally[] };
}

/** The command's first words: the program and its subcommand ("kubectl delete", "rm"). */
export function commandShape(r: AuditRecord): string {
  const argv = r.invocations?.[0]?.argv ?? r.command.trim().split(/\s+/);
  const [name = "", ...rest] = argv;
  const base = name.slice(name.lastIndexOf("/") + 1);
  const sub = rest.find((a) => !a.startsWith("-"));
  return sub !== undefined && /^[a-z][\w.:-]*$/.test(sub) ? `${base} ${sub}` : base;
}

class Counter {
  private readonly counts = new Map<string, { count: number; example: string }>();
  add(key: string, example: string): void {
    const c = this.counts.get(key);
    if (c) {
      c.count++;
      c.example = example;
    } else this.counts.set(key, { count: 1, example });
  }
  top(n: number): Tally[] {
    return [...this.counts.entries()]
      .map(([key, c]) => ({ key, count: c.count, example: c.example }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
      .slice(0, n);
  }
}

function tallyGroup(records: readonly AuditRecord[], top: number) {
  const rules = new Counter();
  const commands = new Counter();
  for (const r of records) {
    for (const id of r.rules?.length ? new Set(r.rules) : ["(no rule)"]) rules.add(id, r.command);
    commands.add(commandShape(r), r.command);
  }
  return { rules: rules.top(top), commands: commands.top(top) };
}

function countBy(
  records: readonly AuditRecord[],
  f: (r: AuditRecord) => string | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) {
    const k = f(r);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export function auditStats(records: readonly AuditRecord[], top = 10): AuditStats {
  return {
    count: records.length,
    ...(records.length ? { from: records[0]?.time, to: records[records.length - 1]?.time } : {}),
    byDecision: countBy(records, (r) => r.decision),
    byKind: countBy(records, (r) => r.kind),
    byHost: countBy(records, (r) => r.host),
    denied: tallyGroup(
      records.filter((r) => r.decision === "deny"),
      top,
    ),
    asked: tallyGroup(records.filter(wasAsked), top),
    approved: tallyGroup(records.filter(wasApproved), top),
  };
}

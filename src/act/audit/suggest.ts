// Proposes allow rules from repeated approvals, and finds allow rules the trail never saw used
// (permission drift: grants that outlived their need).
import { wasApproved } from "./approval.ts";
import type { AuditRecord } from "./types.ts";

/** An allow rule in force, as config names it. */
export interface AllowRuleRef {
  readonly id: string;
  /** What it allows, in a line ("allowed by ~/.config/guard/config.yaml: npm publish"). */
  readonly description?: string;
  readonly file?: string;
}

export interface RuleSuggestion {
  /** In the config `allow:` syntax: the command, then a word glob over its arguments. */
  readonly pattern: string;
  /** Approvals it would have spared. */
  readonly count: number;
  /** The rules that asked. */
  readonly rules: readonly string[];
  readonly examples: readonly string[];
}

export interface Suggestions {
  readonly allow: readonly RuleSuggestion[];
  readonly unused: readonly AllowRuleRef[];
  /** How many allow rules were compared against the trail. */
  readonly checked: number;
}

export interface SuggestOptions {
  readonly allowRules?: readonly AllowRuleRef[];
  /** Approvals of the same command before it is worth a rule. */
  readonly minApprovals?: number;
}

interface Approval {
  readonly argv: readonly string[];
  readonly record: AuditRecord;
}

function words(r: AuditRecord): (readonly string[])[] {
  const invs = r.invocations?.length ? r.invocations.map((i) => i.argv) : [r.command.trim().split(/\s+/)];
  return invs
    .filter((a) => a.length > 0)
    .map(([name = "", ...rest]) => [name.slice(name.lastIndexOf("/") + 1), ...rest]);
}

function shape(argv: readonly string[]): string {
  const sub = argv.slice(1).find((a) => !a.startsWith("-"));
  return sub === undefined ? (argv[0] ?? "") : `${argv[0] ?? ""} ${sub}`;
}

function escapeGlob(word: string): string {
  return word.replace(/[\\*?[\]{}]/g, (c) => "\\" + c);
}

function commonPrefix(list: readonly (readonly string[])[]): string[] {
  const first = list[0] ?? [];
  let n = first.length;
  for (const a of list) {
    let i = 0;
    while (i < n && a[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}

function suggestion(pattern: string, group: readonly Approval[]): RuleSuggestion {
  const entries = [...new Set(group.map((g) => g.record))];
  return {
    pattern,
    count: entries.length,
    rules: [...new Set(entries.flatMap((r) => r.rules ?? []))].sort(),
    examples: [...new Set(entries.map((r) => r.command))].slice(-3),
  };
}

function fromGroup(group: readonly Approval[], min: number): RuleSuggestion[] {
  const argvs = group.map((g) => g.argv);
  const prefix = commonPrefix(argvs);
  const exact = argvs.every((a) => a.length === prefix.length);
  // A pattern must name at least the program and its subcommand: "rm *" is not a suggestion.
  if (exact || prefix.length >= 2) {
    return [suggestion(prefix.map(escapeGlob).join(" ") + (exact ? "" : " *"), group)];
  }
  const byArgv = new Map<string, Approval[]>();
  for (const g of group)
    byArgv.set(JSON.stringify(g.argv), [...(byArgv.get(JSON.stringify(g.argv)) ?? []), g]);
  return [...byArgv.values()]
    .filter((g) => new Set(g.map((x) => x.record)).size >= min)
    .map((g) => suggestion((g[0]?.argv ?? []).map(escapeGlob).join(" "), g));
}

export function suggestRules(records: readonly AuditRecord[], opts: SuggestOptions = {}): Suggestions {
  const min = opts.minApprovals ?? 3;
  // Commands that also ran without asking did not cause the ask (the `cd` in `cd x && npm publish`).
  const unasked = new Set<string>();
  for (const r of records)
    if (r.decision === "allow" || r.decision === "none") for (const a of words(r)) unasked.add(shape(a));
  const groups = new Map<string, Approval[]>();
  for (const r of records.filter(wasApproved)) {
    for (const argv of words(r)) {
      const s = shape(argv);
      if (unasked.has(s)) continue;
      const g = groups.get(s) ?? [];
      g.push({ argv, record: r });
      groups.set(s, g);
    }
  }
  const allow = [...groups.values()]
    .filter((g) => new Set(g.map((x) => x.record)).size >= min)
    .flatMap((g) => fromGroup(g, min))
    .sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern));
  const used = new Set(records.flatMap((r) => r.rules ?? []));
  const unused = (opts.allowRules ?? []).filter((a) => !used.has(a.id));
  return { allow, unused, checked: opts.allowRules?.length ?? 0 };
}

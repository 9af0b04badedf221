// Runs every rule's inline examples: each `block` example must be caught by that rule at its decision
// (or stricter), and each `pass` look-alike must not be matched by it.
import type { Context } from "../core/types.ts";
import { evaluate, makeEngine } from "../core/evaluate.ts";
import { buildRuleSet } from "../config/ruleset.ts";
import type { Pack, RuleSet } from "../judge/rule.ts";
import { strictest } from "../decide/decide.ts";

export interface ExampleFailure {
  readonly rule: string;
  readonly kind: "block" | "pass";
  readonly command: string;
  readonly problem: string;
}

/** The context examples are judged in: a project at /home/dev/project, on a dev cluster, on a feature branch. */
export const EXAMPLE_CONTEXT: Context = {
  cwd: "/home/dev/project",
  home: "/home/dev",
  projectRoot: "/home/dev/project",
  env: {},
  kubeContext: "dev-cluster",
  kubeNamespace: "default",
  gitBranch: "feature/x",
  protectedPaths: [
    "/home/dev/.config/guard",
    "/home/dev/.local/state/guard",
    "/home/dev/.claude/settings*.json",
    "/home/dev/project/.claude/settings*.json",
    "/home/dev/.codex/hooks.json",
    "/home/dev/.codex/config.toml",
    "/home/dev/project/.codex",
    "/usr/lib/node_modules/guard",
  ],
  secretPaths: ["/home/dev/.local/state/guard/audit.key", "/home/dev/.local/state/guard/canary"],
  decoys: { paths: ["/home/dev/.aws/credentials.bak"], tokens: ["AKIAGUARDCANARY0TEST"] },
};

export function runExamples(packs: readonly Pack[], set: RuleSet = buildRuleSet(packs), ctx: Context = EXAMPLE_CONTEXT): { count: number; failures: ExampleFailure[] } {
  const engine = makeEngine({ ...set, rules: set.rules.map((r) => ({ ...r, enabled: true })) });
  const failures: ExampleFailure[] = [];
  let count = 0;
  for (const pack of packs) {
    for (const rule of pack.rules) {
      for (const command of rule.examples?.block ?? []) {
        count++;
        const v = evaluate(command, ctx, engine);
        const hit = v.hits.find((h) => h.id === rule.id);
        if (!hit) failures.push({ rule: rule.id, kind: "block", command, problem: `not matched (verdict ${v.decision}${v.hits.length ? " by " + [...new Set(v.hits.map((h) => h.id))].join(", ") : ""})` });
        else if (strictest(v.decision, rule.decision) !== v.decision) failures.push({ rule: rule.id, kind: "block", command, problem: `verdict ${v.decision} is weaker than the rule's ${rule.decision}` });
      }
      for (const command of rule.examples?.pass ?? []) {
        count++;
        const v = evaluate(command, ctx, engine);
        if (v.hits.some((h) => h.id === rule.id)) failures.push({ rule: rule.id, kind: "pass", command, problem: "matched, but this look-alike must pass" });
      }
    }
  }
  return { count, failures };
}

// Builds the rule set the judge uses: built-in packs, then config layers that add rules, change a
// built-in rule's decision, turn rules on or off, and set the context (protected contexts, branches).
import type { ContextConfig, Pack, Rule, RuleDecision, RuleSet, ToolSpec } from "../judge/rule.ts";
import { DEFAULT_CONTEXT } from "../judge/rule.ts";
import { strictest } from "../decide/decide.ts";

/** One config file, already parsed and validated. */
export interface ConfigLayer {
  readonly file: string;
  /** user and trusted project layers may loosen; an untrusted project layer may only tighten. */
  readonly trust: "managed" | "user" | "project-trusted" | "project";
  readonly rules: readonly Rule[];
  /** Rule id -> new decision ("off" disables the rule). */
  readonly overrides: Readonly<Record<string, RuleDecision | "off">>;
  readonly context?: Partial<ContextConfig>;
  readonly tools?: Readonly<Record<string, ToolSpec>>;
}

/** A copy of a rule with another decision (built-in rules read their fields lazily, so copy them out). */
function withDecision(r: Rule, decision: RuleDecision): Rule {
  return {
    id: r.id,
    decision,
    reason: r.reason,
    ...(r.safer ? { safer: r.safer } : {}),
    match: r.match,
    ...(r.escalate ? { escalate: r.escalate } : {}),
    ...(r.examples ? { examples: r.examples } : {}),
    ...(r.scope ? { scope: r.scope } : {}),
    enabled: true,
    pack: r.pack,
  };
}

/** Several packs may describe one tool (aws in cloud and iac): their option lists are united. */
function mergeTool(a: ToolSpec | undefined, b: ToolSpec): ToolSpec {
  if (!a) return b;
  const union = (x?: readonly string[], y?: readonly string[]) =>
    x || y ? [...new Set([...(x ?? []), ...(y ?? [])])] : undefined;
  const valued = union(a.valued, b.valued);
  const boolean = union(a.boolean, b.boolean);
  return {
    ...(valued ? { valued } : {}),
    ...(boolean ? { boolean } : {}),
    ...(a.long_valued_by_default || b.long_valued_by_default ? { long_valued_by_default: true } : {}),
    ...(a.single_dash_long || b.single_dash_long ? { single_dash_long: true } : {}),
  };
}

export function buildRuleSet(packs: readonly Pack[], layers: readonly ConfigLayer[] = []): RuleSet {
  const rules = new Map<string, Rule>();
  const tools: Record<string, ToolSpec> = {};
  for (const p of packs) {
    for (const r of p.rules) rules.set(r.id, r);
    for (const [name, spec] of Object.entries(p.tools)) tools[name] = mergeTool(tools[name], spec);
  }
  let context: ContextConfig = DEFAULT_CONTEXT;
  // Ids fixed by a managed layer: nothing below it may loosen them.
  const managedFloor = new Map<string, RuleDecision>();
  for (const layer of layers) {
    const mayLoosen = layer.trust !== "project";
    for (const [id, to] of Object.entries(layer.overrides)) {
      const r = rules.get(id);
      if (!r) continue;
      const floor = managedFloor.get(id);
      if (to === "off") {
        if (mayLoosen && !floor) rules.delete(id);
        continue;
      }
      let decision: RuleDecision = mayLoosen ? to : (strictest(r.decision, to) as RuleDecision);
      if (floor) decision = strictest(decision, floor) as RuleDecision;
      rules.set(id, withDecision(r, decision));
      if (layer.trust === "managed") managedFloor.set(id, decision);
    }
    for (const r of layer.rules) {
      // An untrusted project file may add deny/ask rules, never allow rules.
      if (!mayLoosen && r.decision === "allow") continue;
      const existing = rules.get(r.id);
      if (existing && !mayLoosen) continue;
      rules.set(r.id, r);
    }
    if (layer.context) {
      const c = layer.context;
      // Protected lists only grow from an untrusted layer.
      const merge = (a: readonly string[], b: readonly string[] | undefined): readonly string[] =>
        b === undefined ? a : mayLoosen ? b : [...new Set([...a, ...b])];
      context = {
        kubeProtectedContexts: merge(context.kubeProtectedContexts, c.kubeProtectedContexts),
        kubeProtectedNamespaces: merge(context.kubeProtectedNamespaces, c.kubeProtectedNamespaces),
        gitProtectedBranches: merge(context.gitProtectedBranches, c.gitProtectedBranches),
      };
    }
    if (layer.tools && mayLoosen) Object.assign(tools, layer.tools);
  }
  return { rules: [...rules.values()], tools, context };
}

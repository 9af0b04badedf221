// Judge: matches each resolved invocation against the rules, one invocation at a time.
import type { Arg, Context, Invocation, Resolution, RuleHit } from "../core/types.ts";
import { resolvePath } from "../resolve/paths.ts";
import { matchPath, matchWord } from "./glob.ts";
import { parseOptions, type Parsed } from "./options.ts";
import type { ContextCondition, ListMatch, Match, Rule, RuleDecision, RuleSet, SqlKind, TargetClass, TargetMatch } from "./rule.ts";
import { databaseKinds, isDatabaseClient } from "./sql.ts";
import { classifyArg, classifyPath } from "./targets.ts";
import { strictest } from "../decide/decide.ts";

/** One invocation with what the matcher computes about it, computed once and shared by all rules. */
class View {
  private readings?: Parsed[];
  private sql?: SqlKind[];
  constructor(
    readonly inv: Invocation,
    readonly ctx: Context,
    readonly set: RuleSet,
  ) {}

  get args(): readonly Arg[] {
    return this.inv.argv.slice(1);
  }

  /** Two readings of the options: unknown long options as booleans, and as taking a value. */
  parsed(): Parsed[] {
    if (!this.readings) {
      const spec = this.set.tools[this.inv.name];
      const a = parseOptions(this.args, spec, false);
      const b = spec?.long_valued_by_default ? a : parseOptions(this.args, spec, true);
      this.readings = a.positionals.length === b.positionals.length ? [a] : [a, b];
    }
    return this.readings;
  }

  sqlKinds(): SqlKind[] {
    this.sql ??= isDatabaseClient(this.inv.name) ? databaseKinds(this.inv) : [];
    return this.sql;
  }
}

function listMatch(spec: ListMatch, test: (p: string) => boolean): boolean {
  if (spec.any && !spec.any.some(test)) return false;
  if (spec.all && !spec.all.every(test)) return false;
  if (spec.none && spec.none.some(test)) return false;
  return true;
}

function flagTest(parsed: Parsed): (p: string) => boolean {
  return (p) => {
    const eq = p.indexOf("=");
    if (eq < 0) return parsed.flags.has(p);
    const values = parsed.flags.get(p.slice(0, eq));
    return !!values && values.some((v) => matchWord(p.slice(eq + 1), v));
  };
}

function pickTargets(args: readonly Arg[], which: TargetMatch["args"]): readonly Arg[] {
  switch (which) {
    case "first":
      return args.slice(0, 1);
    case "last":
      return args.slice(-1);
    case "after-first":
      return args.slice(1);
    case "before-last":
      return args.length > 1 ? args.slice(0, -1) : [];
    default:
      return args;
  }
}

function subcommandLength(rule: Match, positionals: readonly Arg[]): number | undefined {
  if (!rule.subcommand) return 0;
  for (const sc of rule.subcommand) {
    const words = sc.split(" ");
    if (words.every((w, i) => positionals[i] !== undefined && matchWord(w, (positionals[i] as Arg).value))) return words.length;
  }
  return undefined;
}

const KUBE_TOOLS = new Set(["kubectl", "oc", "helm", "kubectx", "kubens", "k9s", "kustomize", "argocd", "flux"]);

function flagValue(parsed: Parsed, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = parsed.flags.get(n);
    if (v && v.length) return v[v.length - 1];
  }
  return undefined;
}

function contextHolds(cond: ContextCondition, view: View, parsed: Parsed): boolean {
  const { inv, ctx, set } = view;
  if (cond === "remote") return inv.remote;
  if (cond === "kube-protected") {
    if (!KUBE_TOOLS.has(inv.name)) return false;
    const context = flagValue(parsed, ["--context", "--kube-context"]) ?? inv.env["KUBECONTEXT"] ?? ctx.kubeContext;
    const ns = flagValue(parsed, ["-n", "--namespace"]) ?? inv.env["KUBENAMESPACE"] ?? ctx.kubeNamespace;
    if (context && set.context.kubeProtectedContexts.some((g) => matchWord(g, context))) return true;
    if (ns && set.context.kubeProtectedNamespaces.some((g) => matchWord(g, ns))) return true;
    return false;
  }
  // git-protected: the branch a push (or other branch-targeted act) lands on. Read from the whole argv,
  // not a sub-match's slice of it.
  const full = view.parsed()[0] ?? parsed;
  const pos = full.positionals.map((a) => a.value);
  const at = pos.indexOf("push");
  const branches: string[] = [];
  if (at >= 0) {
    for (const ref of pos.slice(at + 2)) {
      const dst = ref.replace(/^\+/, "").split(":").pop() ?? "";
      if (dst) branches.push(dst === "HEAD" || dst === "@" ? (ctx.gitBranch ?? dst) : dst.replace(/^refs\/heads\//, ""));
    }
    if (branches.length === 0 && ctx.gitBranch) branches.push(ctx.gitBranch);
  } else if (ctx.gitBranch) branches.push(ctx.gitBranch);
  return branches.some((b) => set.context.gitProtectedBranches.some((g) => matchWord(g, b)));
}

function redirectMatch(spec: NonNullable<Match["redirect"]>, view: View): string | undefined {
  for (const r of view.inv.redirects) {
    if (!r.target) continue;
    if (spec.ops && !spec.ops.includes(r.op)) continue;
    if (r.op.includes("&") && /^\d+$|^-$/.test(r.target.value)) continue; // 2>&1, >&-
    const path = r.target.dynamic ? undefined : resolvePath(view.inv.cwd, r.target.value, view.ctx.home);
    if (spec.paths) {
      if (path !== undefined && spec.paths.some((g) => matchPath(g, path) || matchPath(g, r.target?.value ?? ""))) return `redirect ${r.op} ${r.target.text}`;
      continue;
    }
    if (spec.classes) {
      const cls: TargetClass = path === undefined ? "unknown" : classifyPath(path, view.ctx);
      if (spec.classes.includes(cls)) return `redirect ${r.op} ${r.target.text} (${cls})`;
      continue;
    }
    return `redirect ${r.op} ${r.target.text}`;
  }
  return undefined;
}

/** Returns why `m` matches the invocation under one reading of its options, or undefined. */
function matchOne(m: Match, view: View, parsed: Parsed): string | undefined {
  const { inv } = view;
  const why: string[] = [];
  if (m.command) {
    if (!inv.name || !m.command.some((c) => matchWord(c, inv.name))) return undefined;
    why.push(inv.name);
  }
  const subLen = subcommandLength(m, parsed.positionals);
  if (subLen === undefined) return undefined;
  if (subLen) why.push(parsed.positionals.slice(0, subLen).map((a) => a.value).join(" "));
  const positionals = parsed.positionals.slice(subLen);
  if (m.flags) {
    if (!listMatch(m.flags, flagTest(parsed))) return undefined;
    if (m.flags.any) why.push(m.flags.any.filter(flagTest(parsed)).join(" "));
  }
  if (m.args && !listMatch(m.args, (p) => positionals.some((a) => matchWord(p, a.value)))) return undefined;
  if (m.argv && !listMatch(m.argv, (p) => view.args.some((a) => matchWord(p, a.value)))) return undefined;
  if (m.argv_regex && !new RegExp(m.argv_regex).test(view.args.map((a) => a.value).join(" "))) return undefined;
  if (m.target) {
    const picked = pickTargets(positionals, m.target.args);
    const hit = picked.find((a) => m.target?.classes.includes(classifyArg(a, inv, view.ctx)));
    if (!hit) return undefined;
    why.push(`${hit.text} is ${classifyArg(hit, inv, view.ctx)}`);
  }
  if (m.redirect) {
    const r = redirectMatch(m.redirect, view);
    if (!r) return undefined;
    why.push(r);
  }
  if (m.sql) {
    const kinds = view.sqlKinds();
    const k = m.sql.find((s) => kinds.includes(s));
    if (!k) return undefined;
    why.push(`SQL ${k}`);
  }
  if (m.stdin_from) {
    const from = inv.stdin?.kind === "pipe" ? inv.stdin.from.name : undefined;
    if (!from || !m.stdin_from.some((g) => matchWord(g, from))) return undefined;
    why.push(`fed by ${from}`);
  }
  if (m.via && !m.via.some((g) => inv.via.some((v) => matchWord(g, v)))) return undefined;
  if (m.env) {
    for (const [k, g] of Object.entries(m.env)) {
      const v = inv.env[k];
      if (v === undefined || !matchWord(g, v)) return undefined;
    }
  }
  if (m.context && !contextHolds(m.context, view, parsed)) return undefined;
  // Sub-matches read the positionals after this match's subcommand.
  const inner: Parsed = subLen ? { flags: parsed.flags, positionals } : parsed;
  if (m.all_of) {
    for (const sub of m.all_of) {
      const w = matchOne(sub, view, inner);
      if (w === undefined) return undefined;
      why.push(w);
    }
  }
  if (m.any_of) {
    const w = m.any_of.map((sub) => matchOne(sub, view, inner)).find((x) => x !== undefined);
    if (w === undefined) return undefined;
    why.push(w);
  }
  if (m.unless && matchOne(m.unless, view, inner) !== undefined) return undefined;
  return why.filter(Boolean).join("; ") || "matched";
}

function decisionFor(rule: Rule, view: View, parsed: Parsed): RuleDecision {
  let d = rule.decision;
  for (const e of rule.escalate ?? []) if (contextHolds(e.when, view, parsed)) d = strictest(d, e.decision) as RuleDecision;
  return d;
}

/** Rules indexed by command name, so each invocation meets only the rules that can match it. */
export interface RuleIndex {
  readonly byCommand: ReadonlyMap<string, readonly Rule[]>;
  readonly generic: readonly Rule[];
  readonly signal: readonly Rule[];
}

function commandsOf(m: Match): readonly string[] | undefined {
  if (m.command) return m.command;
  if (m.any_of) {
    const subs = m.any_of.map(commandsOf);
    if (subs.every((s) => s !== undefined)) return subs.flat() as string[];
  }
  return undefined;
}

export function indexRules(set: RuleSet): RuleIndex {
  const byCommand = new Map<string, Rule[]>();
  const generic: Rule[] = [];
  const signal: Rule[] = [];
  for (const rule of set.rules) {
    if (rule.enabled === false) continue;
    if (rule.match.signal) {
      signal.push(rule);
      continue;
    }
    const cmds = commandsOf(rule.match);
    if (!cmds || cmds.some((c) => /[*?[{]/.test(c))) {
      generic.push(rule);
      continue;
    }
    for (const c of cmds) {
      const list = byCommand.get(c);
      if (list) list.push(rule);
      else byCommand.set(c, [rule]);
    }
  }
  return { byCommand, generic, signal };
}

export function judge(resolution: Resolution, set: RuleSet, index: RuleIndex, ctx: Context): RuleHit[] {
  const hits: RuleHit[] = [];
  resolution.invocations.forEach((inv, i) => {
    // `tool ... --help` prints help and exits without acting (unless it is an operand after `--`).
    const args = inv.argv.slice(1).map((a) => a.value);
    const end = args.indexOf("--");
    const help = args.indexOf("--help");
    if (help >= 0 && (end < 0 || help < end)) return;
    const view = new View(inv, ctx, set);
    const candidates = [...(index.byCommand.get(inv.name) ?? []), ...index.generic];
    for (const rule of candidates) {
      for (const parsed of view.parsed()) {
        const why = matchOne(rule.match, view, parsed);
        if (why === undefined) continue;
        hits.push({
          id: rule.id,
          decision: decisionFor(rule, view, parsed),
          reason: rule.reason,
          ...(rule.safer ? { safer: rule.safer } : {}),
          span: inv.span,
          invocation: i,
          why,
        });
        break;
      }
    }
  });
  for (const rule of index.signal) {
    const s = resolution.signals.find((sig) => rule.match.signal?.includes(sig.kind));
    if (s) hits.push({ id: rule.id, decision: rule.decision, reason: rule.reason, ...(rule.safer ? { safer: rule.safer } : {}), span: s.span, invocation: -1, why: s.detail });
  }
  return hits;
}

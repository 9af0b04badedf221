// Judge: matches each resolved invocation against the rules, one invocation at a time.
import type { Arg, Context, Invocation, Resolution, RuleHit } from "../core/types.ts";
import { resolvePath } from "../resolve/paths.ts";
import { matchPath, matchWord } from "./glob.ts";
import { parseOptions, type Parsed } from "./options.ts";
import type {
  BranchScope,
  ContextCondition,
  Match,
  Rule,
  RuleDecision,
  RuleLayout,
  RuleScope,
  RuleSet,
  SqlKind,
  TargetClass,
} from "./rule.ts";
import { databaseKinds, isDatabaseClient, TEST_DB } from "./sql.ts";
import { classifyArg, classifyPath, unknownTarget } from "./targets.ts";
import { strictest } from "../decide/decide.ts";
import { compileMatch, ruleScope, type Matcher, type Subject } from "./compile.ts";
import { wordGlob } from "./glob.ts";

/** One invocation with what the matcher computes about it, computed once and shared by all rules. */
class View implements Subject {
  private readings?: Parsed[];
  private sql?: SqlKind[];
  private argsCache?: readonly Arg[];
  private joinedCache?: string;
  private classes = new Map<Arg, TargetClass>();
  constructor(
    readonly inv: Invocation,
    readonly ctx: Context,
    readonly set: RuleSet,
  ) {}

  get name(): string {
    return this.inv.name;
  }

  get args(): readonly Arg[] {
    this.argsCache ??= this.inv.argv.slice(1);
    return this.argsCache;
  }

  /** The words after the command name joined by spaces, capped so no pattern can run away on huge input. */
  joined(): string {
    this.joinedCache ??= this.args
      .map((a) => a.value)
      .join(" ")
      .slice(0, 16384);
    return this.joinedCache;
  }

  private hay?: string;
  haystack(): string {
    // The working directory counts too: `cd ~/.aws && cat credentials` names the secret only through it.
    this.hay ??= `${this.joined()} ${this.inv.redirects.map((r) => r.target?.value ?? "").join(" ")} ${this.inv.cwd ?? ""}`;
    return this.hay;
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

  classify(arg: Arg): TargetClass {
    let c = this.classes.get(arg);
    if (c === undefined) {
      c = classifyArg(arg, this.inv, this.ctx);
      this.classes.set(arg, c);
    }
    return c;
  }

  redirect(spec: NonNullable<Match["redirect"]>): string | undefined {
    return redirectMatch(spec, this);
  }

  sqlKinds(): SqlKind[] {
    this.sql ??= isDatabaseClient(this.inv.name) ? databaseKinds(this.inv) : [];
    return this.sql;
  }

  stdinFrom(): string | undefined {
    return this.inv.stdin?.kind === "pipe" ? this.inv.stdin.from.name : undefined;
  }

  via(): readonly string[] {
    return this.inv.via;
  }

  env(): Readonly<Record<string, string>> {
    return this.inv.env;
  }

  context(cond: ContextCondition, parsed: Parsed): boolean {
    return contextHolds(cond, this, parsed);
  }
}

const KUBE_TOOLS = new Set([
  "kubectl",
  "oc",
  "helm",
  "kubectx",
  "kubens",
  "k9s",
  "kustomize",
  "argocd",
  "flux",
]);

function flagValue(parsed: Parsed, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = parsed.flags.get(n);
    if (v && v.length) return v[v.length - 1];
  }
  return undefined;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const FILE_DATABASES = new Set(["sqlite3", "sqlite", "duckdb", "litecli"]);

/**
 * Where a database client connects, as far as the line says: whether the server is on this machine
 * (localhost, a socket directory, or no host at all: the client's default is the local socket) and which
 * database. A file database (SQLite, DuckDB) is always local. Undefined when the line runs elsewhere
 * (ssh, a container), names a service file, or has a dynamic word.
 */
function connection(inv: Invocation, parsed: Parsed): { local: boolean; db?: string } | undefined {
  if (inv.remote || inv.argv.some((a) => a.dynamic)) return undefined;
  const positionals = parsed.positionals.map((a) => a.value);
  if (FILE_DATABASES.has(inv.name)) {
    const file = positionals[0];
    const db = file?.replace(/^.*\//, "").replace(/\.(db|sqlite3?|duckdb)$/i, "");
    return { local: true, ...(db !== undefined ? { db } : {}) };
  }
  if (inv.env["PGSERVICE"] !== undefined || positionals.some((v) => /^service=/.test(v))) return undefined;
  let host = flagValue(parsed, ["-h", "--host"]) ?? inv.env["PGHOST"] ?? inv.env["MYSQL_HOST"] ?? "localhost";
  let db = flagValue(parsed, ["-d", "--dbname", "-D", "--database"]);
  for (const v of [db, ...positionals]) {
    const url =
      v === undefined
        ? undefined
        : /^(?:postgres(?:ql)?|mysql|mariadb):\/\/(?:[^@/\s]*@)?([^/:?\s]+)(?::\d+)?\/([^?\s]+)/.exec(v);
    if (url) {
      host = url[1] as string;
      db = url[2];
      break;
    }
  }
  db ??= positionals.find((v) => !v.startsWith("-"));
  return { local: LOCAL_HOSTS.has(host) || host.startsWith("/"), ...(db !== undefined ? { db } : {}) };
}

/** The client works on a test database (app_test, test.db, :memory:) of this machine. */
function localTestDatabase(inv: Invocation, parsed: Parsed): boolean {
  const c = connection(inv, parsed);
  return c !== undefined && c.local && c.db !== undefined && (c.db === ":memory:" || TEST_DB.test(c.db));
}

function contextHolds(cond: ContextCondition, view: View, parsed: Parsed): boolean {
  const { inv, ctx, set } = view;
  if (cond === "remote") return inv.remote;
  if (cond === "db-local-test") return localTestDatabase(inv, parsed);
  if (cond === "db-local") return connection(inv, parsed)?.local === true;
  if (cond === "kube-protected") {
    if (!KUBE_TOOLS.has(inv.name)) return false;
    const context =
      flagValue(parsed, ["--context", "--kube-context"]) ?? inv.env["KUBECONTEXT"] ?? ctx.kubeContext;
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
      if (dst)
        branches.push(
          dst === "HEAD" || dst === "@" ? (ctx.gitBranch ?? dst) : dst.replace(/^refs\/heads\//, ""),
        );
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
      // A target only partly known (`/dev/tcp/$IP/443`) still matches by its literal text.
      if (
        spec.paths.some(
          (g) => (path !== undefined && matchPath(g, path)) || matchPath(g, r.target?.value ?? ""),
        )
      )
        return `redirect ${r.op} ${r.target.text}`;
      continue;
    }
    if (spec.classes) {
      const cls: TargetClass = path !== undefined ? classifyPath(path, view.ctx) : unknownTarget(view.inv);
      if (spec.classes.includes(cls)) return `redirect ${r.op} ${r.target.text} (${cls})`;
      continue;
    }
    return `redirect ${r.op} ${r.target.text}`;
  }
  return undefined;
}

function decisionFor(rule: Rule, view: View, parsed: Parsed): RuleDecision {
  let d = rule.decision;
  for (const e of rule.escalate ?? [])
    if (contextHolds(e.when, view, parsed)) d = strictest(d, e.decision) as RuleDecision;
  return d;
}

/** The subcommand's first word is one of `first`, and a literal of the gate appears in the words. */
function passes(
  view: View,
  inv: Invocation,
  first: ReadonlySet<string> | undefined,
  gate: RuleScope["gate"],
): boolean {
  if (
    first &&
    !view.parsed().some((p) => p.positionals[0] !== undefined && first.has(p.positionals[0].value))
  )
    return false;
  if (
    gate &&
    !(gate.redirect && inv.redirects.length) &&
    !gate.contains.some((k) => view.haystack().includes(k))
  )
    return false;
  return true;
}

/** A branch of a rule's scope with its lists made into sets and its globs compiled, on first use. */
interface FastBranch {
  readonly commands: ReadonlySet<string> | undefined;
  readonly globs: readonly RegExp[];
  readonly redirect: boolean;
  readonly first: ReadonlySet<string> | undefined;
  readonly gate: RuleScope["gate"];
}

/** A rule's branches by the command names they list, and those that apply by glob, redirect or to any name. */
interface FastBranches {
  readonly byName: ReadonlyMap<string, readonly FastBranch[]>;
  readonly other: readonly FastBranch[];
}

function fastBranches(branches: readonly BranchScope[]): FastBranches {
  const byName = new Map<string, FastBranch[]>();
  const other: FastBranch[] = [];
  for (const b of branches) {
    const fb: FastBranch = {
      commands: b.commands ? new Set(b.commands) : undefined,
      globs: (b.globs ?? []).map((g) => wordGlob(g)),
      redirect: b.redirect === true,
      first: b.first ? new Set(b.first) : undefined,
      gate: b.gate,
    };
    for (const c of b.commands ?? []) {
      const list = byName.get(c);
      if (list) list.push(fb);
      else byName.set(c, [fb]);
    }
    if (b.commands === undefined || fb.globs.length || fb.redirect) other.push(fb);
  }
  return { byName, other };
}

/** A rule with its match compiled (on first use) and what decides whether to try it. */
class CompiledRule {
  private matcher?: Matcher;
  private globList?: RegExp[];
  private fastBranches?: FastBranches;
  /** The subcommand first words it requires, if any: rules for `git push` are not even compiled for `git status`. */
  readonly first: ReadonlySet<string> | undefined;
  constructor(
    readonly rule: Rule,
    private readonly scope: RuleScope,
  ) {
    this.first = scope.first ? new Set(scope.first) : undefined;
  }
  /** Cheap checks from the build (subcommand first word, literal gates) before the rule is read or compiled. */
  mayApply(view: View, inv: Invocation): boolean {
    if (!passes(view, inv, this.first, this.scope.gate)) return false;
    const branches = this.scope.branches;
    if (!branches) return true;
    this.fastBranches ??= fastBranches(branches);
    const { byName, other } = this.fastBranches;
    for (const b of byName.get(inv.name) ?? []) if (passes(view, inv, b.first, b.gate)) return true;
    for (const b of other) {
      const named =
        b.commands === undefined ||
        b.commands.has(inv.name) ||
        (b.redirect && inv.redirects.length > 0) ||
        b.globs.some((g) => g.test(inv.name));
      if (named && passes(view, inv, b.first, b.gate)) return true;
    }
    return false;
  }
  /** It can apply to any command name. */
  get any(): boolean {
    return this.scope.commands === undefined;
  }
  /** A redirect alone can make it apply. */
  get redirect(): boolean {
    return this.scope.redirect;
  }
  /** Command-name globs it applies to. */
  get globs(): readonly RegExp[] {
    this.globList ??= this.scope.globs.map((g) => wordGlob(g));
    return this.globList;
  }
  match(subject: Subject, parsed: Parsed): string | undefined {
    this.matcher ??= compileMatch(this.rule.match);
    return this.matcher(subject, parsed);
  }
}

/**
 * Rules indexed by command name, so each invocation meets only the rules that can match it. Rules are
 * wrapped (and later compiled) only when a command they can apply to shows up.
 */
export class RuleIndex {
  private readonly names = new Map<string, Rule[]>();
  private readonly wrapped = new Map<Rule, CompiledRule>();
  private readonly genericRules: Rule[] = [];
  private genericCache?: CompiledRule[];
  private readonly withRedirects = new Map<string, readonly CompiledRule[]>();
  private readonly withoutRedirects = new Map<string, readonly CompiledRule[]>();
  readonly signal: Rule[] = [];
  private readonly scopes = new Map<Rule, RuleScope>();

  private readonly layout?: RuleLayout;
  private readonly rules: readonly Rule[];

  constructor(rules: readonly Rule[], layout?: RuleLayout) {
    this.rules = rules;
    if (layout) {
      // Computed by the build for exactly these rules: nothing to walk at start-up.
      this.layout = layout;
      for (const i of layout.signal) this.signal.push(rules[i] as Rule);
      for (const i of layout.generic) this.genericRules.push(rules[i] as Rule);
      return;
    }
    for (const rule of rules) {
      if (rule.enabled === false) continue;
      const scope = rule.scope ?? (rule.match.signal ? undefined : ruleScope(rule.match));
      if (!scope) {
        // A signal rule: it judges the line's findings, not an invocation.
        this.signal.push(rule);
        continue;
      }
      this.scopes.set(rule, scope);
      for (const c of scope.commands ?? []) {
        const list = this.names.get(c);
        if (list) list.push(rule);
        else this.names.set(c, [rule]);
      }
      if (scope.commands === undefined || scope.globs.length || scope.redirect) this.genericRules.push(rule);
    }
  }

  private wrap(rule: Rule): CompiledRule {
    let cr = this.wrapped.get(rule);
    if (!cr) {
      cr = new CompiledRule(rule, (this.scopes.get(rule) ?? rule.scope) as RuleScope);
      this.wrapped.set(rule, cr);
    }
    return cr;
  }

  forCommand(name: string): CompiledRule[] {
    if (this.layout) {
      const at = Object.hasOwn(this.layout.names, name) ? this.layout.names[name] : undefined;
      return (at ?? []).map((i) => this.wrap(this.rules[i] as Rule));
    }
    return (this.names.get(name) ?? []).map((r) => this.wrap(r));
  }

  get generic(): readonly CompiledRule[] {
    this.genericCache ??= this.genericRules.map((r) => this.wrap(r));
    return this.genericCache;
  }

  /**
   * The rules to try on an invocation of `name` (with or without redirects): those indexed by the name,
   * then the generic ones whose name glob fits, that apply to any name, or (with redirects) to a
   * redirect. Worked out once per name.
   */
  candidates(name: string, redirects: boolean): readonly CompiledRule[] {
    const memo = redirects ? this.withRedirects : this.withoutRedirects;
    let list = memo.get(name);
    if (!list) {
      list = [
        ...this.forCommand(name),
        ...this.generic.filter(
          (r) => r.any || (redirects && r.redirect) || r.globs.some((g) => g.test(name)),
        ),
      ];
      // Names are words of the commands judged: a long-running process sees only so many.
      if (memo.size >= 4096) memo.clear();
      memo.set(name, list);
    }
    return list;
  }
}

/** The layout the build stores for the built-in rules (what the RuleIndex constructor would compute). */
export function ruleLayout(rules: readonly Rule[]): RuleLayout {
  const names: Record<string, number[]> = {};
  const generic: number[] = [];
  const signal: number[] = [];
  rules.forEach((rule, i) => {
    if (rule.enabled === false) return;
    const scope = rule.scope ?? (rule.match.signal ? undefined : ruleScope(rule.match));
    if (!scope) {
      signal.push(i);
      return;
    }
    for (const c of scope.commands ?? []) (names[c] ??= []).push(i);
    if (scope.commands === undefined || scope.globs.length || scope.redirect) generic.push(i);
  });
  return { names, generic, signal };
}

export function indexRules(set: RuleSet): RuleIndex {
  return new RuleIndex(set.rules, set.layout);
}

export function judge(resolution: Resolution, set: RuleSet, index: RuleIndex, ctx: Context): RuleHit[] {
  const hits: RuleHit[] = [];
  resolution.invocations.forEach((inv, i) => {
    // `tool ... --help` prints help and exits without acting. Only as the last word: elsewhere it may be an
    // option's value (`curl -A --help -F f=@key URL`) and the command still acts.
    let end = inv.argv.findIndex((a, k) => k > 0 && a.value === "--");
    if (end < 0) end = inv.argv.length;
    const last = inv.argv[end - 1];
    if (end > 1 && last?.value === "--help" && !last.dynamic) return;
    const view = new View(inv, ctx, set);
    const seen = new Set<string>();
    const tryRule = (cr: CompiledRule) => {
      if (seen.has(cr.rule.id)) return;
      if (!cr.mayApply(view, inv)) return;
      for (const parsed of view.parsed()) {
        const why = cr.match(view, parsed);
        if (why === undefined) continue;
        seen.add(cr.rule.id);
        hits.push({
          id: cr.rule.id,
          decision: decisionFor(cr.rule, view, parsed),
          reason: cr.rule.reason,
          ...(cr.rule.safer ? { safer: cr.rule.safer } : {}),
          span: inv.span,
          invocation: i,
          why,
        });
        return;
      }
    };
    for (const cr of index.candidates(inv.name, inv.redirects.length > 0)) tryRule(cr);
  });
  for (const rule of index.signal) {
    const s = resolution.signals.find((sig) => rule.match.signal?.includes(sig.kind));
    if (s)
      hits.push({
        id: rule.id,
        decision: rule.decision,
        reason: rule.reason,
        ...(rule.safer ? { safer: rule.safer } : {}),
        span: s.span,
        invocation: -1,
        why: s.detail,
      });
  }
  return hits;
}

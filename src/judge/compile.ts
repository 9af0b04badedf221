// Compiles a rule's match into a closure once, so judging runs no pattern parsing and no map lookups.
import type { Arg } from "../core/types.ts";
import { wordGlob } from "./glob.ts";
import type { Parsed } from "./options.ts";
import type { BranchScope, ListMatch, Match, RuleScope, TargetClass } from "./rule.ts";

/** What a compiled match needs to know about one invocation (implemented by the judge's View). */
export interface Subject {
  readonly name: string;
  readonly args: readonly Arg[];
  joined(): string;
  /** The words and redirect targets, for `contains` gates. */
  haystack(): string;
  classify(arg: Arg): TargetClass;
  redirect(spec: NonNullable<Match["redirect"]>): string | undefined;
  sqlKinds(): readonly string[];
  stdinFrom(): string | undefined;
  via(): readonly string[];
  env(): Readonly<Record<string, string>>;
  context(cond: NonNullable<Match["context"]>, parsed: Parsed): boolean;
}

/** Returns why the match holds, or undefined. */
export type Matcher = (s: Subject, parsed: Parsed) => string | undefined;

type WordTest = (v: string) => boolean;

/** A word pattern: exact comparison when it has no glob characters, else a compiled glob. */
export function wordTest(pattern: string): WordTest {
  if (!/[*?[{\\]/.test(pattern)) return (v) => v === pattern;
  const re = wordGlob(pattern);
  return (v) => re.test(v);
}

function anyWord(patterns: readonly string[]): WordTest {
  const exact = new Set(patterns.filter((p) => !/[*?[{\\]/.test(p)));
  const globs = patterns.filter((p) => /[*?[{\\]/.test(p)).map((p) => wordGlob(p));
  if (globs.length === 0) return (v) => exact.has(v);
  return (v) => exact.has(v) || globs.some((g) => g.test(v));
}

/**
 * any / all / none of word patterns over a list of words. `any` is one test of each word against all its
 * patterns (some pattern matches some word); `all` and `none` go pattern by pattern.
 */
function wordsMatch(spec: ListMatch): (words: readonly Arg[]) => boolean {
  const anyTest = spec.any ? anyWord(spec.any) : undefined;
  const each = (p: string) => {
    const t = wordTest(p);
    return (ws: readonly Arg[]) => ws.some((a) => t(a.value));
  };
  const all = spec.all?.map(each);
  const none = spec.none?.map(each);
  return (words) =>
    (!anyTest || words.some((a) => anyTest(a.value))) &&
    (!all || all.every((t) => t(words))) &&
    (!none || !none.some((t) => t(words)));
}

function flagPredicate(p: string): (parsed: Parsed) => boolean {
  const eq = p.indexOf("=");
  if (eq < 0) return (parsed) => parsed.flags.has(p);
  const name = p.slice(0, eq);
  const value = wordTest(p.slice(eq + 1));
  return (parsed) => parsed.flags.get(name)?.some(value) ?? false;
}

/** The directory the command runs in, as a target (`args: cwd`): a server serving it, a tool acting on it. */
const CWD: readonly Arg[] = [
  { value: ".", text: "the working directory", dynamic: false, glob: false, span: [0, 0] },
];

function pick(args: readonly Arg[], which: string | undefined): readonly Arg[] {
  switch (which) {
    case "cwd":
      return CWD;
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

/**
 * Compiles a match. Only the command-name test is built up front; the rest (patterns, regular expressions,
 * sub-matches) is built the first time a command with a fitting name meets it, so a hook call that sees
 * `git status` never pays for the regular expressions of rules about `cat` or `curl`.
 */
export function compileMatch(m: Match): Matcher {
  const command = m.command ? anyWord(m.command) : undefined;
  const contains = m.contains;
  let rest: Matcher | undefined;
  return (s, parsed) => {
    if (command && (!s.name || !command(s.name))) return undefined;
    if (contains) {
      const hay = s.haystack();
      if (!contains.some((k) => hay.includes(k))) return undefined;
    }
    rest ??= compileRest(m, command);
    return rest(s, parsed);
  };
}

function compileRest(m: Match, command: WordTest | undefined): Matcher {
  const subcommands = m.subcommand?.map((sc) => sc.split(" ").map(wordTest));
  const flags = m.flags
    ? {
        any: m.flags.any?.map(flagPredicate),
        all: m.flags.all?.map(flagPredicate),
        none: m.flags.none?.map(flagPredicate),
        anyNames: m.flags.any,
      }
    : undefined;
  const args = m.args ? wordsMatch(m.args) : undefined;
  const argv = m.argv ? wordsMatch(m.argv) : undefined;
  const argvRegex = m.argv_regex ? new RegExp(m.argv_regex) : undefined;
  const classes = m.target ? new Set<TargetClass>(m.target.classes) : undefined;
  const targetArgs = m.target?.args;
  const sql = m.sql;
  const stdinFrom = m.stdin_from ? anyWord(m.stdin_from) : undefined;
  const via = m.via ? anyWord(m.via) : undefined;
  const env = m.env ? Object.entries(m.env).map(([k, g]) => [k, wordTest(g)] as const) : undefined;
  const allOf = m.all_of?.map(compileMatch);
  const anyOf = m.any_of?.map(compileMatch);
  const unless = m.unless ? compileMatch(m.unless) : undefined;

  return (s, parsed) => {
    let subLen = 0;
    if (subcommands) {
      const pos = parsed.positionals;
      const hit = subcommands.find((words) =>
        words.every((t, i) => pos[i] !== undefined && t((pos[i] as Arg).value)),
      );
      if (!hit) return undefined;
      subLen = hit.length;
    }
    if (flags) {
      if (flags.any && !flags.any.some((f) => f(parsed))) return undefined;
      if (flags.all && !flags.all.every((f) => f(parsed))) return undefined;
      if (flags.none && flags.none.some((f) => f(parsed))) return undefined;
    }
    const positionals = subLen ? parsed.positionals.slice(subLen) : parsed.positionals;
    if (args && !args(positionals)) return undefined;
    if (argv && !argv(s.args)) return undefined;
    if (argvRegex && !argvRegex.test(s.joined())) return undefined;
    if (stdinFrom) {
      const from = s.stdinFrom();
      if (!from || !stdinFrom(from)) return undefined;
    }
    if (via && !s.via().some(via)) return undefined;
    if (env) {
      const e = s.env();
      for (const [k, t] of env) {
        const v = e[k];
        if (v === undefined || !t(v)) return undefined;
      }
    }
    const why: string[] = [];
    if (command) why.push(s.name);
    if (subLen)
      why.push(
        parsed.positionals
          .slice(0, subLen)
          .map((a) => a.value)
          .join(" "),
      );
    if (flags?.anyNames) why.push(flags.anyNames.filter((n, i) => flags.any?.[i]?.(parsed)).join(" "));
    if (classes) {
      const hit = pick(positionals, targetArgs).find((a) => classes.has(s.classify(a)));
      if (!hit) return undefined;
      why.push(`${hit.text} is ${s.classify(hit)}`);
    }
    if (m.redirect) {
      const r = s.redirect(m.redirect);
      if (!r) return undefined;
      why.push(r);
    }
    if (sql) {
      const kinds = s.sqlKinds();
      const k = sql.find((x) => kinds.includes(x));
      if (!k) return undefined;
      why.push(`SQL ${k}`);
    }
    if (m.context && !s.context(m.context, parsed)) return undefined;
    // Sub-matches read the positionals after this match's subcommand.
    const inner: Parsed = subLen ? { flags: parsed.flags, positionals } : parsed;
    if (allOf) {
      for (const sub of allOf) {
        const w = sub(s, inner);
        if (w === undefined) return undefined;
        why.push(w);
      }
    }
    if (anyOf) {
      let w: string | undefined;
      for (const sub of anyOf) {
        w = sub(s, inner);
        if (w !== undefined) break;
      }
      if (w === undefined) return undefined;
      why.push(w);
    }
    if (unless && unless(s, inner) !== undefined) return undefined;
    return why.filter(Boolean).join("; ") || "matched";
  };
}

/** The command names a match can apply to (undefined: any), the name globs, and whether a redirect can. */
/** A necessary condition for `m` to match, when one can be proven from `contains` gates and redirects. */
export function ruleGate(m: Match): RuleScope["gate"] {
  if (m.contains) return { contains: m.contains, redirect: false };
  if (m.all_of) {
    for (const sub of m.all_of) {
      const g = ruleGate(sub);
      if (g) return g;
    }
  }
  if (m.any_of) {
    const gates = m.any_of.map(ruleGate);
    if (gates.every((g) => g !== undefined)) {
      const all = gates as NonNullable<RuleScope["gate"]>[];
      return {
        contains: [...new Set(all.flatMap((g) => g.contains))],
        redirect: all.some((g) => g.redirect),
      };
    }
  }
  if (m.redirect) return { contains: [], redirect: true };
  return undefined;
}

function withGate(m: Match, scope: RuleScope): RuleScope {
  const gate = ruleGate(m);
  return gate ? { ...scope, gate } : scope;
}

export function ruleScope(m: Match): RuleScope {
  const scope = withGate(m, commandScope(m));
  // A rule of alternatives (with no command or gate of its own) keeps each alternative's quick checks.
  if (m.any_of && !m.command && !m.contains) {
    const branches: BranchScope[] = m.any_of.map((b) => {
      const c = commandScope(b);
      const g = ruleGate(b);
      return {
        ...(c.commands !== undefined ? { commands: c.commands } : {}),
        ...(c.globs.length ? { globs: c.globs } : {}),
        ...(c.redirect ? { redirect: true } : {}),
        ...(c.first ? { first: c.first } : {}),
        ...(g ? { gate: g } : {}),
      };
    });
    if (branches.some((b) => b.first || b.gate)) return { ...scope, branches };
  }
  return scope;
}

/**
 * The words one of which must be the first positional for `m` to match, when that can be proven: its own
 * subcommands, those of any `all_of` part, or those of every `any_of` branch (sub-matches of a match with
 * no subcommand read the same positionals).
 */
function firstWords(m: Match): string[] | undefined {
  if (m.subcommand) {
    const firsts = m.subcommand.map((sc) => sc.split(" ")[0] ?? "");
    return firsts.every((w) => w !== "" && !/[*?[{\\]/.test(w)) ? [...new Set(firsts)] : undefined;
  }
  for (const sub of m.all_of ?? []) {
    const f = firstWords(sub);
    if (f) return f;
  }
  if (m.any_of) {
    const each = m.any_of.map(firstWords);
    if (each.every((f) => f !== undefined)) return [...new Set(each.flat() as string[])];
  }
  return undefined;
}

function commandScope(m: Match): RuleScope {
  if (m.command) {
    const first = firstWords(m);
    return {
      commands: m.command.filter((c) => !/[*?[{\\]/.test(c)),
      globs: m.command.filter((c) => /[*?[{\\]/.test(c)),
      redirect: false,
      ...(first ? { first } : {}),
    };
  }
  if (m.redirect && !m.any_of) return { commands: [], globs: [], redirect: true };
  if (m.any_of) {
    const subs = m.any_of.map(commandScope);
    if (subs.some((x) => x.commands === undefined)) return { globs: [], redirect: true };
    return {
      commands: [...new Set(subs.flatMap((x) => x.commands ?? []))],
      globs: subs.flatMap((x) => x.globs),
      redirect: subs.some((x) => x.redirect),
    };
  }
  return { globs: [], redirect: true };
}

// The shape of a rule, as written in rules/*.yaml and as compiled into the bundle.
import type { Decision, SignalKind } from "../core/types.ts";

export type RuleDecision = Exclude<Decision, "none">;

export type TargetClass =
  | "root"
  | "system"
  | "home"
  | "home-dotdir"
  | "home-other"
  | "home-top"
  | "cache"
  | "project-root"
  | "project-source"
  | "git-dir"
  | "project"
  | "tmp-root"
  | "tmp"
  | "device"
  | "outside"
  | "guard"
  | "guard-secret"
  | "decoy"
  | "unknown";

export type SqlKind =
  | "drop-table"
  | "drop-database"
  | "drop-test-database"
  | "drop-other"
  | "truncate"
  | "delete-all"
  | "update-all"
  | "alter-drop"
  | "flush-all"
  | "shell-escape"
  | "dynamic";

export interface ListMatch {
  readonly any?: readonly string[];
  readonly all?: readonly string[];
  readonly none?: readonly string[];
}

export interface TargetMatch {
  /** Which positional arguments are paths: all (default), first, last, all but the first, all but the last. */
  readonly args?: "all" | "first" | "last" | "after-first" | "before-last" | "cwd";
  readonly classes: readonly TargetClass[];
}

export interface RedirectMatch {
  readonly ops?: readonly string[];
  /** Globs over the resolved target path. */
  readonly paths?: readonly string[];
  readonly classes?: readonly TargetClass[];
}

export type ContextCondition = "kube-protected" | "git-protected" | "remote" | "db-local" | "db-local-test";

export interface Match {
  /** Command names (basename of argv[0]), picomatch globs allowed. */
  readonly command?: readonly string[];
  /** Leading positional words after the tool's global options, e.g. "stash drop". */
  readonly subcommand?: readonly string[];
  /** Options, normalized: clusters split (-rf = -r -f), --opt=value split. `--replicas=0` matches a value. */
  readonly flags?: ListMatch;
  /** Positional arguments after the subcommand, picomatch globs. */
  readonly args?: ListMatch;
  /** Every word after the command name, flags included, picomatch globs. */
  readonly argv?: ListMatch;
  /** A regular expression over the words after the command name joined by spaces. */
  readonly argv_regex?: string;
  /**
   * Literal substrings, at least one of which must appear in the words, redirect targets or working directory: a cheap gate in
   * front of expensive patterns (checked before anything else of the match is even compiled).
   */
  readonly contains?: readonly string[];
  readonly target?: TargetMatch;
  readonly redirect?: RedirectMatch;
  readonly sql?: readonly SqlKind[];
  /** Names of commands feeding this one through a pipe. */
  readonly stdin_from?: readonly string[];
  /** Structural findings of resolve; a rule with `signal` matches the line, not an invocation. */
  readonly signal?: readonly SignalKind[];
  /** Wrappers the invocation came through, e.g. "ssh". */
  readonly via?: readonly string[];
  readonly context?: ContextCondition;
  readonly env?: Readonly<Record<string, string>>;
  /** All sub-matches must hold. */
  readonly all_of?: readonly Match[];
  /** At least one sub-match must hold. */
  readonly any_of?: readonly Match[];
  /** Exception: the rule does not apply when this holds. */
  readonly unless?: Match;
}

export interface Examples {
  /** Command lines this rule must catch (at its decision or stricter). */
  readonly block?: readonly string[];
  /** Look-alikes this rule must not match. */
  readonly pass?: readonly string[];
}

export interface Escalation {
  readonly when: ContextCondition;
  readonly decision: RuleDecision;
}

/** Which invocations a rule can apply to, computed at build time so start-up need not read every match. */
export interface RuleScope {
  /** Command names it applies to; absent when it can apply to any command. */
  readonly commands?: readonly string[];
  /** Command-name globs it applies to. */
  readonly globs: readonly string[];
  /** A redirect alone can make it apply. */
  readonly redirect: boolean;
  /** The first word of the subcommand it requires (exact words), when it requires one. */
  readonly first?: readonly string[];
  /**
   * A necessary condition proven from the match: one of these substrings appears in the words or redirect
   * targets (or, with `redirect`, the invocation has a redirect). Checked before the rule is even read.
   */
  readonly gate?: { readonly contains: readonly string[]; readonly redirect: boolean };
  /** The same, per alternative of a rule made of `any_of` branches: a rule applies only if some branch can. */
  readonly branches?: readonly BranchScope[];
}

export interface BranchScope {
  /** Command names (undefined: any). */
  readonly commands?: readonly string[];
  readonly globs?: readonly string[];
  readonly redirect?: boolean;
  readonly first?: readonly string[];
  readonly gate?: { readonly contains: readonly string[]; readonly redirect: boolean };
}

export interface Rule {
  readonly id: string;
  readonly decision: RuleDecision;
  readonly reason: string;
  readonly safer?: string;
  readonly match: Match;
  readonly escalate?: readonly Escalation[];
  readonly examples?: Examples;
  /** Rules off unless a config turns them on. */
  readonly enabled?: boolean;
  /** The pack (file) it came from. */
  readonly pack: string;
  /** Precomputed by the build for built-in rules; computed from the match otherwise. */
  readonly scope?: RuleScope;
}

/** How a tool's argv is laid out: which options take a value, so positionals can be found. */
export interface ToolSpec {
  /** Options that take a value in the next word. */
  readonly valued?: readonly string[];
  /** Long options take a value unless listed here (aws, gcloud, az style). */
  readonly boolean?: readonly string[];
  readonly long_valued_by_default?: boolean;
  /** Options are single-dash long words (-destroy, -chdir=dir): do not split clusters. */
  readonly single_dash_long?: boolean;
}

export interface Pack {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly Rule[];
  readonly tools: Readonly<Record<string, ToolSpec>>;
}

export interface ContextConfig {
  readonly kubeProtectedContexts: readonly string[];
  readonly kubeProtectedNamespaces: readonly string[];
  readonly gitProtectedBranches: readonly string[];
}

/** Everything the judge needs, precompiled: the packs after config, and the context settings. */
export interface RuleSet {
  readonly rules: readonly Rule[];
  readonly tools: Readonly<Record<string, ToolSpec>>;
  readonly context: ContextConfig;
  /** For the built-in rules unchanged by config: the rule index, computed by the build (indices into rules). */
  readonly layout?: RuleLayout;
}

export interface RuleLayout {
  readonly names: Readonly<Record<string, readonly number[]>>;
  readonly generic: readonly number[];
  readonly signal: readonly number[];
}

export const DEFAULT_CONTEXT: ContextConfig = {
  kubeProtectedContexts: ["*prod*", "*production*", "*prd*", "*live*"],
  kubeProtectedNamespaces: ["*prod*", "*production*", "kube-system"],
  gitProtectedBranches: ["main", "master", "production", "prod", "release", "release/*", "trunk", "develop"],
};

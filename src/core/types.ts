// The domain of the pure core: what a command line resolves to, and what guard decides about it.

/** A verdict, strictest first. `none` means no rule had an opinion: the host's own permissions apply. */
export type Decision = "deny" | "ask" | "allow" | "none";

/** Source span, [start, end) offsets into the top-level command line. */
export type Span = readonly [number, number];

/** One shell word after quote removal. */
export interface Arg {
  /** The value after quote removal and the expansions guard could resolve. */
  readonly value: string;
  /** The source text. */
  readonly text: string;
  /** True when part of the value is only known at run time ($var, $(...), `...`). */
  readonly dynamic: boolean;
  /** True when the word contains an unquoted glob or brace expansion. */
  readonly glob: boolean;
  readonly span: Span;
  /** The word came from an unquoted expansion with blanks in its value, so the shell splits it. */
  readonly split?: boolean;
}

export interface Redirect {
  readonly op: string;
  readonly fd: number | undefined;
  readonly target: Arg | undefined;
}

/** Where an invocation's standard input comes from. */
export type Stdin =
  | { readonly kind: "text"; readonly text: string; readonly dynamic: boolean; readonly source: string }
  | { readonly kind: "pipe"; readonly from: Invocation }
  | { readonly kind: "file"; readonly path: Arg }
  | undefined;

/** Something that will run: a simple command after unwrapping launchers, shells and interpreters. */
export interface Invocation {
  readonly argv: readonly Arg[];
  /** Basename of argv[0] ("" when dynamic). */
  readonly name: string;
  /** Absolute working directory, or undefined when it is only known at run time. */
  readonly cwd: string | undefined;
  readonly redirects: readonly Redirect[];
  readonly stdin: Stdin;
  /** Prefix assignments (`FOO=1 cmd`) and `env` assignments. */
  readonly env: Readonly<Record<string, string>>;
  /** The wrappers this came through, outermost first: "sudo", "bash -c", "ssh", "python -c", ... */
  readonly via: readonly string[];
  /** Where it came from, in the top-level command line. */
  readonly span: Span;
  /** Remote or container execution: the invocation runs elsewhere (paths are not local). */
  readonly remote: boolean;
  /** It runs in a throwaway container file system (docker run without mounts). */
  readonly ephemeral?: boolean;
  /** It comes from a script file on disk: targets only known at run time are left to the script. */
  readonly fromFile?: boolean;
  /** A path prefix the dynamic arguments are known to stay under (for example `find DIR | xargs`). */
  readonly dynamicArgsUnder?: string;
  /** The dynamic arguments are everything in dynamicArgsUnder (an unfiltered listing), not some of it. */
  readonly dynamicArgsWhole?: boolean;
}

/** A structural fact found while resolving, judged by `signal` rules (for example a dynamic command name). */
export interface Signal {
  readonly kind: SignalKind;
  readonly detail: string;
  readonly span: Span;
}

export type SignalKind =
  | "parse-error"
  | "too-large"
  | "too-deep"
  | "dynamic-command"
  | "dynamic-eval"
  | "dynamic-shell-input"
  | "remote-script-to-shell"
  | "decoded-to-shell"
  | "dynamic-interpreter-code"
  | "function-override"
  | "fork-bomb"
  | "secret-printed"
  | "decoy";

/** What the environment around the command is: supplied by the adapter, never read by the core. */
export interface Context {
  readonly cwd: string;
  readonly home: string;
  readonly projectRoot: string;
  readonly env: Readonly<Record<string, string>>;
  /** Current kube context and namespace, git branch, terraform workspace, where known. */
  readonly kubeContext?: string;
  readonly kubeNamespace?: string;
  readonly gitBranch?: string;
  readonly terraformWorkspace?: string;
  /** guard's own files and the hosts' hook settings: never to be changed by the agent (picomatch globs or directories). */
  readonly protectedPaths?: readonly string[];
  /** guard's secrets (audit key, canary inventory): never to be read by the agent either. */
  readonly secretPaths?: readonly string[];
  /** Planted decoy credentials: paths and tokens that must never be touched. */
  readonly decoys?: { readonly paths: readonly string[]; readonly tokens: readonly string[] };
  /**
   * Reads a script or SQL file a command would run (a small regular text file), or undefined. Supplied by
   * the adapters; without it, only files the same line writes are looked into.
   */
  readonly readScript?: (path: string) => string | undefined;
}

export interface Resolution {
  readonly invocations: readonly Invocation[];
  readonly signals: readonly Signal[];
}

export interface RuleHit {
  readonly id: string;
  readonly decision: Exclude<Decision, "none">;
  readonly reason: string;
  readonly safer?: string;
  readonly span: Span;
  /** Index into the resolution's invocations, or -1 for a line-level signal. */
  readonly invocation: number;
  /** Why it matched, for `guard explain`. */
  readonly why: string;
}

export interface Verdict {
  readonly decision: Decision;
  readonly reason: string;
  readonly hits: readonly RuleHit[];
  readonly resolution: Resolution;
}

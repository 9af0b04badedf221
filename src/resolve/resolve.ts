// Resolve: from the parse tree to the list of everything that will run, looking through every way a
// command can hide (launchers, shells, eval, substitutions, pipes into interpreters, remote exec).
import { parse } from "unbash";
import type {
  Word,
  Command,
  Redirection,
  PipelineNode,
  AndOr,
  CommandNode,
  ParsedScript,
  Statement,
  SyntaxNode,
} from "unbash";
import { forEachChild } from "unbash";
import type {
  Arg,
  Context,
  Invocation,
  Redirect,
  Resolution,
  Signal,
  SignalKind,
  Span,
  Stdin,
} from "../core/types.ts";
import {
  expandBraces,
  literalArg,
  splitWords as splitExpansion,
  unescapeEcho,
  wordValue,
  type WordEnv,
} from "./words.ts";
import { basename, resolvePath } from "./paths.ts";
import { isLauncher, unwrapLauncher } from "./launchers.ts";
import {
  codeFlag,
  interpreterLang,
  isShell,
  parseInterpreterArgs,
  parseShellArgs,
  shebangLang,
} from "./shells.ts";
import { scanCode } from "./code.ts";
import { credentialFiles, guardFileExamples, nameMatches, sensitiveGlobHits } from "./sensitive.ts";
import { patchEffects } from "./patch.ts";

const FILE_DOWNLOADERS = new Set(["curl", "wget", "wget2", "aria2c"]);

/**
 * The file a download command writes: curl -o F / -sLo F / -oF / --output F / -O (the URL's name), wget
 * -O F / -qO F / -OF / --output-document=F (else the URL's name), aria2c -o F.
 */
function downloadTarget(name: string, args: readonly Arg[]): string | undefined {
  const outLetter = name === "curl" || name === "aria2c" ? "o" : "O";
  let target: string | undefined;
  let remoteName = name !== "curl";
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    const long = /^--(output|output-document|out)(?:=(.*))?$/.exec(v);
    if (long) target = long[2] ?? args[++i]?.value;
    else if (v === "--remote-name" || v === "--remote-name-all") remoteName = true;
    else if (/^-[A-Za-z0-9]+$/.test(v)) {
      const letters = v.slice(1);
      const at = letters.indexOf(outLetter);
      if (at === letters.length - 1) target = args[++i]?.value;
      else if (at >= 0) target = letters.slice(at + 1);
      else if (name === "curl" && letters.includes("O")) remoteName = true;
    }
  }
  if (target !== undefined) return target;
  const url = args.find((a) => /^https?:\/\//.test(a.value));
  return remoteName && url ? basename(url.value.split("?")[0] ?? "") : undefined;
}

/** Options whose value is shell text the tool runs. */
const SHELL_TEXT_FLAGS: Record<string, readonly string[]> = {
  nodemon: ["--exec", "-x"],
  "nix-shell": ["--run", "--command"],
  watchexec: ["--shell-command"],
  hyperfine: ["-p", "--prepare", "-c", "--cleanup", "--conclude"],
  entr: ["-s"],
  concurrently: [],
  sg: ["-c"],
  capsh: ["-c"],
  xterm: ["-e"],
  "x-terminal-emulator": ["-e"],
  konsole: ["-e"],
  "xfce4-terminal": ["-e", "-x", "--command"],
  alacritty: ["-e", "--command"],
  kitty: [],
};
/** The working directory and variables at a point, to tell afterwards what a branch may have changed. */
interface Settled {
  readonly cwd: string | undefined;
  readonly vars: Map<string, string>;
}

function settled(st: State): Settled {
  return { cwd: st.cwd, vars: new Map(st.vars) };
}

/**
 * After code that may or may not have run (`false && d=./build`, an if branch, a loop body), a variable or
 * working directory it changed from a known value is unknown: judging by the last assignment would let dead
 * code decide. A variable it set for the first time keeps that value (the case where it ran is the one
 * that acts).
 */
function unsettle(st: State, before: Settled): void {
  if (st.cwd !== before.cwd) st.cwd = undefined;
  for (const [k, v] of [...st.vars]) {
    const was = before.vars.get(k);
    if (was !== undefined && was !== v) st.vars.delete(k);
  }
}

/** What this line wrote to a file: known text, a download, or output only known at run time. */
type Written = { text: string; disk?: true } | { downloaded: true } | { producedBy: string };

/** Programs that are another under a different name (hub wraps git and takes every git command). */
const TOOL_ALIASES: Record<string, string> = {
  hub: "git",
  "kubectl.exe": "kubectl",
  "git.exe": "git",
  // the usual shell aliases, which an agent's own shell may define
  k: "kubectl",
  kubecolor: "kubectl",
  kctl: "kubectl",
  tf: "terraform",
};

/** Container images whose entrypoint is a command-line tool. */
const IMAGE_ENTRYPOINTS: Record<string, string> = {
  "amazon/aws-cli": "aws",
  "hashicorp/terraform": "terraform",
  "opentofu/opentofu": "tofu",
  "bitnami/kubectl": "kubectl",
  "alpine/helm": "helm",
  "pulumi/pulumi": "pulumi",
  "flyway/flyway": "flyway",
  "liquibase/liquibase": "liquibase",
  "minio/mc": "mc",
  "rclone/rclone": "rclone",
};

function isDbConsole(name: string, args: readonly Arg[]): boolean {
  const w = args.map((a) => a.value);
  if (name === "rails") return w[0] === "dbconsole" || w[0] === "db";
  if (interpreterLang(name) === "python") return /(^|\/)manage\.py$/.test(w[0] ?? "") && w[1] === "dbshell";
  if (name === "prisma") return w[0] === "db" && w[1] === "execute";
  return false;
}

/** Package manager commands that are not the name of a package.json script. */
const PACKAGE_MANAGER_VERBS = new Set(
  "install i add remove rm uninstall update up upgrade init create publish pack link unlink login logout config info view why list ls outdated audit cache version help set workspace workspaces dlx exec x global patch plugin import store fetch rebuild prune dedupe ci whoami env node bin root prefix search owner access team token profile star stars deprecate dist-tag doctor explain fund hook org query shrinkwrap sbom".split(
    " ",
  ),
);

/** git's global options that take a value (before the subcommand). */
const GIT_GLOBAL_VALUED = new Set([
  "-C",
  "-c",
  "--git-dir",
  "--work-tree",
  "--namespace",
  "--exec-path",
  "--config-env",
]);

/** Python modules run with -m that read the files they are given, like the command of the same name. */
const PYTHON_FILE_MODULES = new Set(["base64", "gzip", "zipfile", "tarfile", "uu", "quopri"]);

/** Substitutions whose output is a tool's own shell setup (environment, hooks, completions). */
const SETUP_OUTPUT =
  /^["']?(?:\$\(|`|<\()\s*(?:direnv\s+(?:hook|export)\s+\w+|ssh-agent(?:\s+-[sc])?|minikube(?:\s+-p\s+[\w-]+)?\s+(?:docker|podman)-env(?:\s+--shell[=\s]\w+)?|(?:pyenv|rbenv|nodenv|goenv|jenv|plenv|phpenv)\s+(?:init|virtualenv-init)(?:\s+-|\s+--path|\s+-\s+\w+)*|fnm\s+env(?:\s+--[\w-]+(?:=\S+)?)*|(?:\/opt\/homebrew\/bin\/|\/usr\/local\/bin\/)?brew\s+shellenv|(?:mise|rtx)\s+activate\s+\w+|zoxide\s+init\s+\w+|starship\s+init\s+\w+|opam\s+env(?:\s+--[\w-]+)*|luarocks\s+path|dircolors(?:\s+-[bc])?|keychain\s+--eval(?:\s+[\w.-]+)*|conda\s+shell\.\w+\s+hook|docker-machine\s+env\s+[\w-]+|thefuck\s+--alias|[\w-]+\s+completion\s+(?:bash|zsh|fish)|gh\s+completion\s+-s\s+\w+|aws_completer|pipenv\s+--completion|poetry\s+completions\s+\w+|rustup\s+completions\s+\w+)\s*[)`]["']?$/;

/** Commands that print what they read (possibly transformed). */
const PRINTS_INPUT = new Set([
  "base64",
  "base32",
  "basenc",
  "xxd",
  "od",
  "hexdump",
  "cat",
  "tee",
  "rev",
  "tr",
  "sed",
  "awk",
  "cut",
  "head",
  "tail",
  "fold",
  "column",
  "sort",
  "uniq",
  "nl",
  "paste",
  "iconv",
  "gzip",
  "openssl",
]);

/** Variable names that say they hold a secret. */
const SECRET_VAR =
  /^(?:AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|(?:[A-Z0-9]+_)*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|CLIENT_SECRET|CREDENTIALS?|PAT)(?:_[A-Z0-9]+)*)$/;

/**
 * The recipe lines the named targets run (the first target when none is named), following their
 * prerequisites within the makefile, at most a few dozen targets deep.
 */
function makeTargetRecipes(text: string, targets: readonly string[]): string[] {
  const rules = new Map<string, { deps: string[]; recipe: string[] }>();
  let first: string | undefined;
  let current: { deps: string[]; recipe: string[] } | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("\t")) {
      current?.recipe.push(line.slice(1).replace(/^[@+-]+/, ""));
      continue;
    }
    const m = /^([^\s:=#][^:=#]*?)\s*::?\s*([^=;#]*)(?:;\s*(.*))?$/.exec(line);
    if (!m) {
      if (line.trim() && !line.startsWith("#")) current = undefined;
      continue;
    }
    current = { deps: (m[2] ?? "").split(/\s+/).filter(Boolean), recipe: m[3] ? [m[3]] : [] };
    for (const t of (m[1] as string).split(/\s+/)) {
      rules.set(t, current);
      if (first === undefined && !t.startsWith(".") && !t.includes("%")) first = t;
    }
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string): void => {
    if (seen.has(t) || seen.size > 64) return;
    seen.add(t);
    const r = rules.get(t);
    if (!r) return;
    for (const d of r.deps) visit(d);
    out.push(...r.recipe.filter((l) => l.trim()));
  };
  for (const t of targets.length ? targets : first ? [first] : []) visit(t);
  return out;
}

/** The shell lines of a makefile's recipes: tab-indented lines, and what follows `target: ;`. */
function makeRecipes(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("\t")) out.push(line.slice(1).replace(/^[@+-]+/, ""));
    else {
      const inline = /^[^\t#=:][^=:]*::?\s*[^=;]*;\s*(.+)$/.exec(line);
      if (inline?.[1]) out.push(inline[1].replace(/^[@+-]+/, ""));
    }
  }
  return out.filter((l) => l.trim());
}

/** Commands that print, encode, copy or send whole files (not search them), as run by find or xargs. */
function copiesContent(cmd: readonly Arg[]): boolean {
  const head = cmd[0];
  return (
    !!head &&
    !head.dynamic &&
    /^(cat|tac|base64|base32|xxd|od|hexdump|strings|head|tail|less|more|bat|cp|scp|rsync|tar|zip|gzip|gpg|curl|wget|nc|ncat|socat|sftp|aws|gsutil)$/.test(
      basename(head.value),
    )
  );
}

/** Paths that are the process's own standard input. */
const STDIN_PATHS = {
  has: (p: string): boolean => /^\/(dev\/stdin|dev\/fd\/0|proc\/(self|thread-self|\d+)\/fd\/0)$/.test(p),
};
/** Tools whose plain arguments are each shell text they run. */
const POSITIONAL_SHELL = new Set(["hyperfine", "concurrently"]);
const SHELL_TOOL_VALUED = new Set([
  "--names",
  "--prefix-colors",
  "--prefix",
  "--restart-tries",
  "--max-processes",
  "-w",
  "--warmup",
  "-m",
  "--min-runs",
  "-M",
  "--max-runs",
  "-r",
  "--runs",
  "-p",
  "--prepare",
  "-c",
  "--cleanup",
  "-S",
  "--shell",
  "--export-json",
  "--export-markdown",
  "--export-csv",
  "-n",
  "--command-name",
  "--parameter-scan",
  "-P",
  "--parameter-list",
  "-L",
  "--style",
  "--time-unit",
  "-u",
  "--output",
  "--input",
]);

export const LIMITS = {
  /** Bytes of command text judged; larger input is refused. */
  maxInput: 256 * 1024,
  /** Levels of re-parsed text (bash -c inside eval inside ssh ...). */
  maxNesting: 12,
  /** Invocations per line. */
  maxInvocations: 5000,
  /** Syntax nodes visited per line. */
  maxNodes: 200_000,
} as const;

interface State {
  cwd: string | undefined;
  readonly vars: Map<string, string>;
  /** Exported variables: they reach the environment of every later command. */
  readonly exported: Map<string, string>;
  readonly via: readonly string[];
  readonly depth: number;
  readonly spanOverride: Span | undefined;
  readonly remote: boolean;
  readonly home: string;
  /** Inside a container started without mounts: a throwaway file system. */
  readonly ephemeral?: boolean;
}

const DB_FILE_CLIENTS = new Set([
  "psql",
  "mysql",
  "mariadb",
  "sqlite3",
  "clickhouse-client",
  "cqlsh",
  "duckdb",
  "cockroach",
  "mongosh",
  "mongo",
  "redis-cli",
]);
const DOWNLOADERS = new Set([
  "curl",
  "wget",
  "fetch",
  "http",
  "https",
  "aria2c",
  "xh",
  "lwp-request",
  "GET",
  "nc",
  "ncat",
  "socat",
]);
/** Programs whose output is the content of the files they are given. */
const FILE_READERS = new Set([
  "cat",
  "head",
  "tail",
  "tac",
  "base64",
  "base32",
  "xxd",
  "od",
  "gzip",
  "zstd",
  "xz",
  "bzip2",
]);
/** Programs that send their stdin over the network. */
const UPLOADERS = new Set(["curl", "wget", "http", "https", "xh", "nc", "ncat", "netcat", "socat", "telnet"]);
const DECODERS = new Set([
  "base64",
  "base32",
  "xxd",
  "openssl",
  "gunzip",
  "zcat",
  "gzip",
  "bzip2",
  "xz",
  "rev",
  "tr",
  "uudecode",
  "basenc",
]);
const NETWORK = new Set(["nc", "ncat", "netcat", "socat", "telnet", "openssl"]);
/** Options of `npm exec`, `pnpm dlx`, `yarn dlx`, `bun x` that take the next word. */
const RUNNER_VALUED = new Set(["-p", "--package", "-c", "--call", "--filter", "-F"]);
/** Options of `npx`, `pnpx`, `bunx` that take the next word. */
const NPX_VALUED = new Set(["-p", "--package"]);

/** Signals of what cannot be resolved: dropped inside scripts read from disk (see Resolver.signal). */
const UNRESOLVED_IN_FILES = new Set<SignalKind>([
  "dynamic-command",
  "dynamic-eval",
  "dynamic-shell-input",
  "dynamic-interpreter-code",
  "parse-error",
  "too-deep",
  "too-large",
]);
/** Programs installed by the system, not scripts an agent wrote: never read. */
const SYSTEM_PROGRAMS = /^\/(usr|bin|sbin|lib|lib64|opt|nix|snap)\//;
/** Text a shell would run: no #! line, or one naming a shell. */
const SHELL_SCRIPT = /^(?!#!)|^#!\s*\S*\/(env\s+(-\S+\s+)*)?(ba|da|z|k|mk|)sh\b/;

class Resolver {
  readonly invocations: Invocation[] = [];
  readonly signals: Signal[] = [];
  private nodes = 0;
  /** Loop bodies judged once per literal word, up to this many in all (nested loops multiply). */
  private loopBudget = 64;
  /** Files this line writes with known content (`echo x > f`, heredocs), and files it downloads. */
  private readonly written = new Map<string, Written>();
  private guardExamples?: string[];
  /** Names remapped with `hash -p PATH NAME`: name -> program. */
  private readonly hashed = new Map<string, string>();
  /** Git aliases this line defines with git config: name -> value. */
  private readonly gitAliases = new Map<string, string>();
  /** Git remotes this line points somewhere: name -> URL. */
  private readonly remotes = new Map<string, string>();
  /** Symlinks this line makes: link path -> target path. */
  private readonly links = new Map<string, string>();
  /** Copies and links of system programs this line makes: path -> program name. */
  private readonly binaryCopies = new Map<string, string>();
  /** Aliases defined in this line. */
  private readonly aliases = new Map<string, string>();
  /** Shell functions defined in this line: name -> definition. */
  private readonly functions = new Map<string, Extract<SyntaxNode, { type: "Function" }>>();
  /** Files read from disk for this line: each once, and only so many. */
  private readonly diskRead = new Set<string>();
  /** Depth inside text read from a file on disk (see `signal`). */
  private onDisk = 0;
  /** Inside a package.json script or a make recipe: files they run are not read in turn (one level). */
  private noDisk = 0;
  /** Invocations whose output goes into a pipe (by span), and the command that reads it. */
  private readonly pipedOut = new Map<string, string>();

  /**
   * `echo $AWS_SECRET_ACCESS_KEY`, `printenv GITHUB_TOKEN`: a secret printed into the agent's transcript.
   * Piped into another command (`echo "$TOKEN" | docker login --password-stdin`) or into a file, it is not.
   */
  secretPrints(): void {
    for (const inv of this.invocations) {
      if (inv.fromFile || inv.remote || !["echo", "printf", "printenv", "print"].includes(inv.name)) continue;
      // Piped into a command that uses it (docker login --password-stdin); one that prints it again
      // (base64, tee, cat) still puts it in the transcript.
      const reader = this.pipedOut.get(`${inv.span[0]}:${inv.span[1]}`);
      if (reader !== undefined && !PRINTS_INPUT.has(reader)) continue;
      if (inv.redirects.some((r) => /^(>|>>|>\||&>|&>>)$/.test(r.op) && (r.fd === undefined || r.fd === 1)))
        continue;
      const words = inv.argv.slice(1);
      const hit =
        inv.name === "printenv"
          ? words.find((a) => SECRET_VAR.test(a.value))
          : words.find((a) =>
              new RegExp(`\\$\\{?(${SECRET_VAR.source.slice(1, -1)})(?![A-Za-z0-9_])`).test(a.text),
            );
      if (hit) this.signal("secret-printed", `${inv.name} prints ${hit.text}`, inv.span);
    }
  }

  constructor(private readonly ctx: Context) {}

  signal(kind: SignalKind, detail: string, span: Span): void {
    // A script already on disk is judged for what its commands would do; what cannot be resolved inside it
    // ($CMD, eval "$x", bash-only syntax) is left to the script, as before guard looked into it at all.
    if (this.onDisk > 0 && UNRESOLVED_IN_FILES.has(kind)) return;
    if (this.signals.length < 200) this.signals.push({ kind, detail, span });
  }

  private wenv(st: State): WordEnv {
    return {
      vars: st.vars,
      home: st.home,
      cwd: st.cwd,
      project: st.remote ? undefined : this.ctx.projectRoot,
      spanOverride: st.spanOverride,
      offset: 0,
    };
  }

  private span(node: { pos: number; end: number }, st: State): Span {
    return st.spanOverride ?? [node.pos, node.end];
  }

  private tick(span: Span): boolean {
    this.nodes++;
    if (this.nodes === LIMITS.maxNodes)
      this.signal("too-large", "the command line is too complex to judge", span);
    return this.nodes < LIMITS.maxNodes;
  }

  // ---- text ---------------------------------------------------------------------------------

  /** Parses text that will run as shell code (bash -c, eval, heredoc into sh) and resolves it. */
  shellText(text: string, st: State, span: Span, label: string, stdinFrom?: Stdin, sameShell = false): void {
    if (st.depth >= LIMITS.maxNesting) {
      this.signal("too-deep", "commands nested too deeply to judge", span);
      return;
    }
    let script: ParsedScript;
    this.unsupported(text, st);
    try {
      script = parse(text);
    } catch {
      this.signal("parse-error", `could not parse the text run by ${label}`, span);
      return;
    }
    const inner: State = {
      ...st,
      vars: new Map(st.vars),
      via: [...st.via, label],
      depth: st.depth + 1,
      spanOverride: span,
    };
    void stdinFrom;
    this.script(script, inner);
    // eval and source run in the current shell: a cd or an assignment in the text carries on after it.
    if (sameShell) {
      st.cwd = inner.cwd;
      st.vars.clear();
      for (const [k, v] of inner.vars) st.vars.set(k, v);
    }
  }

  // ---- tree ---------------------------------------------------------------------------------

  /** Syntax the parser does not model: bash 5.3 `${ cmd; }` / `${| cmd; }` substitutions. */
  unsupported(text: string, st: State): void {
    if (/\$\{[\s|]/.test(text))
      this.signal(
        "parse-error",
        "bash 5.3 ${ ...; } substitutions are not supported",
        st.spanOverride ?? [0, text.length],
      );
  }

  script(script: ParsedScript, st: State): void {
    for (const err of script.errors ?? [])
      this.signal("parse-error", err.message, st.spanOverride ?? [err.pos, err.pos + 1]);
    for (const stmt of script.commands) this.statement(stmt, st);
  }

  private statement(stmt: Statement, st: State): void {
    if (!this.tick(this.span(stmt, st))) return;
    this.node(stmt.command, st, undefined);
  }

  /** Walks a node; returns the last invocation it produced (the source of a following pipe). */
  private node(node: PipelineNode | AndOr, st: State, stdin: Stdin): Invocation | undefined {
    if (!this.tick(this.span(node, st))) return undefined;
    switch (node.type) {
      case "AndOr": {
        let last: Invocation | undefined;
        let before: Settled | undefined;
        // Inside a group fed by a pipe (`curl ... | (cd /tmp && sh)`), every command shares its stdin.
        node.commands.forEach((c, i) => {
          // Only the first command surely runs: what the others set is uncertain after the list.
          if (i === 1) before = settled(st);
          last = this.node(c, st, stdin);
        });
        if (before) unsettle(st, before);
        return last;
      }
      case "Pipeline": {
        let prev: Invocation | undefined;
        let prevNode: CommandNode | undefined;
        const stages: Invocation[] = [];
        node.commands.forEach((c, i) => {
          // Each pipeline stage runs in a subshell: a `cd` inside does not carry over.
          const stageState: State = { ...st, vars: new Map(st.vars) };
          const input: Stdin = prev ? { kind: "pipe", from: prev } : prevNode ? undefined : stdin;
          const from = prev;
          prev = this.node(c, stageState, input);
          prevNode = c;
          if (prev) stages.push(prev);
          if (from && i > 0) this.pipedOut.set(`${from.span[0]}:${from.span[1]}`, prev?.name ?? "");
        });
        this.pipelineChecks(stages, this.span(node, st));
        return prev;
      }
      case "Command":
        return this.command(node, st, stdin);
      case "Redirected": {
        const redirects = this.redirects(node.redirects, st);
        const hereStdin = this.heredocStdin(node.redirects, st);
        const before = this.invocations.length;
        const last = this.node(node.command, st, hereStdin ?? stdin);
        // A redirect on a group applies to every command inside it.
        if (redirects.length) {
          for (let i = before; i < this.invocations.length; i++) {
            const inv = this.invocations[i] as Invocation;
            this.invocations[i] = { ...inv, redirects: [...inv.redirects, ...redirects] };
          }
          if (before === this.invocations.length) this.emitRedirectOnly(redirects, st, this.span(node, st));
        }
        return last;
      }
      case "Subshell":
        return this.list(node.body.commands, { ...st, vars: new Map(st.vars) }, stdin);
      case "BraceGroup":
        return this.list(node.body.commands, st, stdin);
      case "If": {
        this.list(node.clause.commands, st, undefined);
        // Which branch runs is not known: what any of them sets is uncertain afterwards.
        const before = settled(st);
        let last = this.list(node.then.commands, st, undefined);
        for (const e of node.elif) {
          this.list(e.clause.commands, st, undefined);
          last = this.list(e.then.commands, st, undefined);
        }
        if (node.else) last = this.list(node.else.commands, st, undefined);
        unsettle(st, before);
        return last;
      }
      case "While": {
        this.list(node.clause.commands, st, stdin);
        const before = settled(st);
        const last = this.list(node.body.commands, st, undefined);
        unsettle(st, before);
        return last;
      }
      case "For":
      case "Select": {
        const words = (node.wordlist ?? []).flatMap((w) => {
          this.substitutions(w, st);
          return expandBraces(wordValue(w, this.wenv(st)));
        });
        const name = node.name.value;
        const literal =
          words.length > 0 &&
          words.length <= 16 &&
          words.every((w) => !w.dynamic) &&
          this.loopBudget >= words.length;
        if (literal) {
          this.loopBudget -= words.length;
          let last: Invocation | undefined;
          for (const w of words) {
            st.vars.set(name, w.value);
            last = this.list(node.body.commands, st, undefined);
          }
          st.vars.delete(name);
          return last;
        }
        st.vars.delete(name);
        return this.list(node.body.commands, st, undefined);
      }
      case "ArithmeticFor":
        this.substitutions(node, st, true);
        return this.list(node.body.commands, st, undefined);
      case "Case": {
        this.substitutions(node.word, st);
        let last: Invocation | undefined;
        const before = settled(st);
        for (const item of node.items) {
          for (const p of item.pattern) this.substitutions(p, st);
          last = this.list(item.body.commands, st, undefined);
        }
        unsettle(st, before);
        return last;
      }
      case "TestCommand":
      case "ArithmeticCommand":
        this.substitutions(node, st, true);
        this.arithmeticVariables((node as { body?: string; text?: string }).body ?? "", st);
        return undefined;
      case "Function": {
        // A function body is judged as if it runs: defining `ls() { rm -rf /; }` and calling ls runs it.
        const body = node.body;
        const fname = node.name.value;
        this.functions.set(fname, node);
        const before = this.invocations.length;
        const fst: State = { ...st, via: [...st.via, `function ${fname}`] };
        const result =
          body.type === "CompoundList"
            ? this.list(body.commands, fst, undefined)
            : this.node(body, fst, undefined);
        // A function that calls itself twice (`f(){ f|f& }`) doubles its processes on every call: a fork bomb.
        if (this.invocations.slice(before).filter((i) => i.name === fname).length >= 2)
          this.signal(
            "fork-bomb",
            `function ${fname} calls itself more than once (a fork bomb)`,
            this.span(node, st),
          );
        return result;
      }
      case "Coproc": {
        const body = node.body;
        if (body.type === "CompoundList") return this.list(body.commands, st, undefined);
        return this.node(body, st, undefined);
      }
      default: {
        const unknown: { type: string; pos: number; end: number } = node;
        this.signal("parse-error", `unsupported syntax: ${unknown.type}`, this.span(unknown, st));
        return undefined;
      }
    }
  }

  private list(stmts: readonly Statement[], st: State, stdin: Stdin): Invocation | undefined {
    let last: Invocation | undefined;
    for (const s of stmts) {
      if (!this.tick(this.span(s, st))) break;
      last = this.node(s.command, st, stdin);
    }
    return last;
  }

  /** Resolves every command, process and arithmetic substitution nested anywhere under `node`. */
  private substitutions(node: SyntaxNode, st: State, includeSelf = false): void {
    // A word of plain text or quotes holds nothing that runs: the common case, skipped cheaply.
    if (
      node.type === "Word" &&
      (!node.parts ||
        node.parts.every(
          (p) => p.type === "Literal" || p.type === "SingleQuoted" || p.type === "AnsiCQuoted",
        ))
    )
      return;
    const stack: SyntaxNode[] = [];
    if (includeSelf) forEachChild(node, (c) => stack.push(c));
    else stack.push(node);
    const sub: State = { ...st, vars: new Map(st.vars), via: [...st.via, "$(...)"] };
    while (stack.length) {
      const n = stack.pop() as SyntaxNode;
      if (!this.tick(this.span(n, st))) return;
      if (n.type === "ProcessSubstitution" && n.operator === ">" && n.script) {
        // >(sh): the commands read what the enclosing command writes, which is only known at run time.
        const out: Stdin = { kind: "text", text: "", dynamic: true, source: "process substitution" };
        for (const stmt of n.script.commands) this.node(stmt.command, sub, out);
        for (const err of n.script.errors ?? []) this.signal("parse-error", err.message, this.span(n, st));
        continue;
      }
      if (
        n.type === "CommandExpansion" ||
        n.type === "ProcessSubstitution" ||
        n.type === "ArithmeticCommandExpansion"
      ) {
        if (n.script) this.script(n.script, sub);
        else if (n.text.length > 3)
          this.signal("parse-error", "could not parse a substitution", this.span(n, st));
        continue;
      }
      if (n.type === "Script") {
        this.script(n as ParsedScript, sub);
        continue;
      }
      if (n.type === "ArithmeticWord") this.arithmeticVariables(n.value, st);
      // `$((cd x; rm -rf y))` is not arithmetic: bash falls back to a subshell in a command substitution.
      if (n.type === "ArithmeticWord" && /[\s;|&<>]/.test(n.value.trim())) {
        this.shellText(n.value, st, this.span(n, st), "$((...))");
        continue;
      }
      forEachChild(n, (c) => stack.push(c));
    }
  }

  private redirects(list: readonly Redirection[], st: State): Redirect[] {
    const out: Redirect[] = [];
    for (const r of list) {
      if (r.type === "HereDoc") continue;
      if (r.target) this.substitutions(r.target, st);
      const fd = r.descriptor?.type === "FileDescriptor" ? r.descriptor.value : undefined;
      out.push({ op: r.operator, fd, target: r.target ? wordValue(r.target, this.wenv(st)) : undefined });
    }
    return out;
  }

  private heredocStdin(list: readonly Redirection[], st: State): Stdin {
    let stdin: Stdin;
    for (const r of list) {
      if (r.type === "HereDoc") {
        const fd = r.descriptor?.type === "FileDescriptor" ? r.descriptor.value : 0;
        const quoted = r.delimiter?.quoted ?? true;
        let dynamic = false;
        if (!quoted && r.body.parts) {
          this.substitutions(r.body, st);
          dynamic = r.body.parts.some((p) => p.type !== "Literal");
        }
        if (fd === 0) stdin = { kind: "text", text: r.body.text, dynamic, source: "heredoc" };
      } else if (r.type === "HereString" && r.target) {
        const fd = r.descriptor?.type === "FileDescriptor" ? r.descriptor.value : 0;
        const v = wordValue(r.target, this.wenv(st));
        if (fd === 0)
          stdin = { kind: "text", text: v.value + "\n", dynamic: v.dynamic, source: "here-string" };
      } else if (
        r.type === "Redirect" &&
        r.operator === "<" &&
        r.target &&
        (r.descriptor === undefined || (r.descriptor.type === "FileDescriptor" && r.descriptor.value === 0))
      ) {
        stdin = { kind: "file", path: wordValue(r.target, this.wenv(st)) };
      }
    }
    return stdin;
  }

  private emitRedirectOnly(redirects: Redirect[], st: State, span: Span): void {
    this.push({
      argv: [],
      name: "",
      cwd: st.cwd,
      redirects,
      stdin: undefined,
      env: {},
      via: st.via,
      span,
      remote: st.remote,
    });
  }

  // ---- simple commands ------------------------------------------------------------------------

  private command(cmd: Command, st: State, pipeIn: Stdin): Invocation | undefined {
    const span = this.span(cmd, st);
    const wenv = this.wenv(st);
    const env: Record<string, string> = {};
    for (const p of cmd.prefix) {
      if (p.type === "Assignment") {
        this.substitutions(p, st);
        if (p.value.type === "Word") {
          const v = wordValue(p.value, wenv);
          if (!v.dynamic) env[p.name] = v.value;
          if (!cmd.name) {
            // `d+=.ssh` appends to what d held.
            const prior = (p as { append?: boolean }).append ? st.vars.get(p.name) : "";
            if (v.dynamic || prior === undefined) st.vars.delete(p.name);
            else st.vars.set(p.name, prior + v.value);
          }
        }
      }
    }
    const words: Word[] = [];
    if (cmd.name) words.push(cmd.name);
    for (const s of cmd.suffix) {
      if (s.type === "Word") words.push(s);
      else if (s.type === "Assignment") {
        this.substitutions(s, st);
        // `export X=1`, `declare X=1`, `local X=1`: treat as an argument word and remember the value.
        if (s.value.type === "Word") {
          const v = wordValue(s.value, wenv);
          if (!v.dynamic) st.vars.set(s.name, v.value);
          else st.vars.delete(s.name);
          const cmdName = cmd.name?.value;
          if (
            cmdName === "export" ||
            ((cmdName === "declare" || cmdName === "typeset") &&
              cmd.suffix.some((x) => x.type === "Word" && /^-\w*x/.test(x.value)))
          ) {
            if (!v.dynamic) st.exported.set(s.name, v.value);
            else st.exported.delete(s.name);
          }
        }
        const assigned = s.value.type === "Word" ? wordValue(s.value, wenv) : undefined;
        words.push({
          type: "Word",
          text: s.text,
          value: assigned && !assigned.dynamic ? `${s.name}=${assigned.value}` : s.text,
          pos: s.pos,
          end: s.end,
        });
      }
    }
    for (const w of words) this.substitutions(w, st);
    for (const w of [
      ...words,
      ...cmd.redirects.flatMap((r) => (r.type === "Redirect" && r.target ? [r.target] : [])),
    ])
      this.procSubText(w, st);
    const argv: Arg[] = [];
    for (const w of words) {
      const a = wordValue(w, wenv);
      // Most words are neither split by the shell nor brace-expanded: no arrays made for them.
      if (!a.split && !(a.glob && a.value.includes("{"))) argv.push(a);
      else for (const part of splitExpansion(a)) argv.push(...expandBraces(part));
    }
    const redirects = this.redirects(cmd.redirects, st);
    const stdin = this.heredocStdin(cmd.redirects, st) ?? pipeIn;
    if (argv.length === 0) {
      if (redirects.length) this.emitRedirectOnly(redirects, st, span);
      return undefined;
    }
    const inv: { -readonly [K in keyof Invocation]: Invocation[K] } = {
      argv,
      name: "",
      cwd: st.cwd,
      redirects,
      stdin,
      env: st.exported.size ? { ...Object.fromEntries(st.exported), ...env } : env,
      via: st.via,
      span,
      remote: st.remote,
    };
    if (st.ephemeral) inv.ephemeral = true;
    return this.emit(inv, st);
  }

  private push(inv: Invocation): void {
    if (this.invocations.length >= LIMITS.maxInvocations) {
      if (this.invocations.length === LIMITS.maxInvocations)
        this.signal("too-large", "the command line runs too many commands to judge", inv.span);
      return;
    }
    this.invocations.push(this.onDisk > 0 && !inv.fromFile ? { ...inv, fromFile: true } : inv);
  }

  /** Records an invocation and everything it runs in turn. Returns the invocation itself. */
  /**
   * Arithmetic evaluates the variables it names, and an array subscript in their value runs its
   * substitutions: `x='a[$(rm -rf ~)]'; (( x ))` runs the rm. Judge such values as the shell will.
   */
  private arithmeticVariables(text: string, st: State): void {
    for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
      const v = st.vars.get(m[0]);
      if (v !== undefined && /\$\(|`/.test(v)) this.shellText(`: ${v}`, st, [0, 0], "arithmetic");
    }
  }

  /**
   * `git remote set-url origin URL` (or `remote add`) earlier in the line: a later push to that remote is a
   * push to URL, and is judged as one.
   */
  private gitRemotes(inv: Invocation, st: State): void {
    const w = inv.argv.slice(1).map((a) => (a.dynamic ? "\0" : a.value));
    const sub = skipOptions(inv.argv.slice(1), 0, GIT_GLOBAL_VALUED);
    // `git config alias.p push` earlier in the line: `git p -f origin main` is `git push -f origin main`.
    if (w[sub] === "config") {
      const rest = w.slice(sub + 1).filter((x) => !x.startsWith("-"));
      const m = /^alias\.(.+)$/i.exec(rest[0] ?? "");
      if (m && rest[1] !== undefined && !rest[1].includes("\0")) this.gitAliases.set(m[1] as string, rest[1]);
      return;
    }
    const alias = w[sub] !== undefined ? this.gitAliases.get(w[sub] as string) : undefined;
    if (alias !== undefined) {
      const tail = inv.argv
        .slice(sub + 2)
        .map((a) => shellWord(a.value))
        .join(" ");
      if (alias.startsWith("!")) this.shellText(`${alias.slice(1)} ${tail}`, st, inv.span, "git alias");
      else this.shellText(`git ${alias} ${tail}`, st, inv.span, "git alias");
      return;
    }
    if (w[sub] === "remote" && (w[sub + 1] === "add" || w[sub + 1] === "set-url")) {
      const rest = w.slice(sub + 2).filter((x) => !x.startsWith("-"));
      if (rest.length >= 2 && !rest[0]?.includes("\0"))
        this.remotes.set(rest[0] as string, rest[1] as string);
      return;
    }
    if (w[sub] !== "push" || this.remotes.size === 0) return;
    const at = inv.argv.findIndex(
      (a, i) => i > sub + 1 && !a.value.startsWith("-") && this.remotes.has(a.value),
    );
    if (at < 0) return;
    const url = this.remotes.get((inv.argv[at] as Arg).value) as string;
    this.push({
      ...inv,
      argv: inv.argv.map((a, i) => (i === at ? { ...a, value: url, dynamic: url.includes("\0") } : a)),
      via: [...inv.via, `remote ${(inv.argv[at] as Arg).value}`],
    });
  }

  /** Arguments that reach through a symlink made earlier in the line name what it points to. */
  private throughLinks(inv: Invocation, st: State): Invocation {
    let changed = false;
    const argv = inv.argv.map((a, i) => {
      if (i === 0 || a.dynamic || a.value.startsWith("-")) return a;
      const p = resolvePath(inv.cwd, a.value, st.home);
      if (!p) return a;
      for (const [link, target] of this.links)
        if (p === link || p.startsWith(`${link}/`)) {
          changed = true;
          const rest = p.slice(link.length);
          return { ...a, value: `${target}${rest}${a.value.endsWith("/") && rest === "" ? "/" : ""}` };
        }
      return a;
    });
    return changed ? { ...inv, argv } : inv;
  }

  /**
   * An unquoted glob that can name a credential file (`cat ~/.s*\/id_*`) is expanded by the shell before
   * the command sees it: the command is judged once more as if it named that file.
   */
  private globbedSecrets(inv: Invocation, st: State): void {
    if (inv.remote || inv.fromFile) return;
    inv.argv.forEach((a, i) => {
      if (i === 0 || !a.glob || a.dynamic) return;
      this.guardExamples ??= guardFileExamples(this.ctx.protectedPaths ?? [], this.ctx.secretPaths ?? []);
      for (const path of sensitiveGlobHits(a.value, inv.cwd, st.home, this.guardExamples)) {
        const argv = inv.argv.map((b, j) => (j === i ? { ...b, value: path, glob: false } : b));
        this.push({ ...inv, argv, via: [...inv.via, `glob ${a.text}`] });
      }
    });
  }

  emit(base: Invocation, st: State): Invocation | undefined {
    const head = base.argv[0];
    if (!head) return undefined;
    if (head.dynamic) {
      this.signal("dynamic-command", `the command name ${head.text} is only known at run time`, head.span);
      const inv = { ...base, name: "" };
      this.push(inv);
      return inv;
    }
    // A command name printed by a substitution (`$(echo rm) -rf x`) is judged as the name it prints, and
    // asked about as well: hiding the name is itself the tell.
    if (/(?:\$\(|`)\s*(?:echo|printf)\b/.test(head.text))
      this.signal("dynamic-command", `the command name ${head.text} is built by a substitution`, head.span);
    const copied = head.value.includes("/")
      ? this.binaryCopies.get(resolvePath(st.cwd, head.value, st.home) ?? "")
      : undefined;
    // A copy or link of a system program made earlier in the line (`cp /bin/rm /tmp/x && /tmp/x -rf ~`)
    // is that program.
    const own = basename(head.value);
    const name =
      copied ??
      this.hashed.get(own) ??
      (Object.hasOwn(TOOL_ALIASES, own) ? (TOOL_ALIASES[own] as string) : own);
    let inv: Invocation = { ...base, name };
    const fromFile =
      inv.stdin?.kind === "file" && (!inv.stdin.path.dynamic || inv.stdin.path.value.startsWith("<("))
        ? this.writtenFile(inv.stdin.path.value, st, DB_FILE_CLIENTS.has(name) ? "any" : "none")
        : undefined;
    // psql -f FILE, mysql db < FILE: a client reading SQL from a file this line wrote, or one on disk.
    const fileFlag = DB_FILE_CLIENTS.has(name)
      ? inv.argv.findIndex((a) => a.value === "-f" || a.value === "--file")
      : -1;
    const fileArg = fileFlag > 0 ? inv.argv[fileFlag + 1] : undefined;
    const fromFlag = fileArg ? this.writtenFile(fileArg.value, st, "any") : undefined;
    const known = fromFile ?? fromFlag;
    if (known && "text" in known)
      inv = { ...inv, stdin: { kind: "text", text: known.text, dynamic: false, source: "file" } };
    if (this.links.size) inv = this.throughLinks(inv, st);
    // `--dry-run --no-dry-run`, `--dry-run=client --dry-run=none`: the last one counts, so a dry run cancelled
    // later in the line does not make the command look harmless.
    let dryRuns = 0;
    for (const a of inv.argv)
      if (a.value.startsWith("--") && /^--(no-)?dry-?run(=|$)/.test(a.value)) dryRuns++;
    if (dryRuns > 1) {
      const runs = inv.argv
        .map((a, i) => [a.value, i] as const)
        .filter(([v]) => /^--(no-)?dry-?run(=|$)/.test(v));
      const [lastValue, lastAt] = runs[runs.length - 1] as readonly [string, number];
      const off = /^--no-/.test(lastValue) || /=none$/.test(lastValue) || /=false$/.test(lastValue);
      inv = {
        ...inv,
        argv: inv.argv.filter((a, i) => !/^--(no-)?dry-?run(=|$)/.test(a.value) || (i === lastAt && !off)),
      };
    }
    // `~/.kube//config`, `/etc/./passwd`: the same file as the plain spelling, which is what rules name.
    if (inv.argv.some((a, i) => i > 0 && /\/\/|\/\.\//.test(a.value) && !a.value.includes("://")))
      inv = {
        ...inv,
        argv: inv.argv.map((a, i) =>
          i > 0 && !a.value.includes("://") && /^[~./]/.test(a.value)
            ? { ...a, value: a.value.replace(/\/(?:\.\/)+/g, "/").replace(/\/{2,}/g, "/") }
            : a,
        ),
      };
    // kubectl reads resource types in any case (`delete NS prod`, `Namespace`); object names are lowercase.
    if ((name === "kubectl" || name === "oc") && inv.argv.some((a, i) => i > 0 && /[A-Z]/.test(a.value))) {
      const dd = inv.argv.findIndex((a) => a.value === "--");
      inv = {
        ...inv,
        argv: inv.argv.map((a, i) =>
          i > 0 && (dd < 0 || i < dd) && !a.dynamic && /^[A-Za-z][\w.,/-]*$/.test(a.value)
            ? { ...a, value: a.value.toLowerCase() }
            : a,
        ),
      };
    }
    this.push(inv);
    this.globbedSecrets(inv, st);
    if (name === "git") this.gitRemotes(inv, st);
    const args = inv.argv.slice(1);
    const child = (argv: readonly Arg[], label: string, extra: Partial<Invocation> = {}): void => {
      if (argv.length === 0) return;
      this.emit({ ...inv, argv, via: [...inv.via, label], ...extra }, { ...st, via: [...st.via, label] });
    };

    if (name === "cd" || name === "pushd") {
      const target = args.find((a) => !a.value.startsWith("-") || a.value === "-");
      if (!target) st.cwd = name === "cd" ? st.home : st.cwd;
      else if (target.dynamic || target.value === "-") st.cwd = undefined;
      else
        st.cwd = st.remote
          ? target.value.startsWith("/")
            ? resolvePath(undefined, target.value, st.home)
            : undefined
          : resolvePath(st.cwd, target.value, st.home);
      return inv;
    }
    if (name === "popd") {
      st.cwd = undefined;
      return inv;
    }
    this.kubeSwitch(name, args, st);
    this.uploadedFiles(inv, st);
    const alias = this.aliases.get(head.value);
    if (alias !== undefined && !base.via.includes(`alias ${head.value}`)) {
      this.shellText(
        [alias, ...args.map((a) => shellWord(a.value))].join(" "),
        st,
        inv.span,
        `alias ${head.value}`,
      );
      return inv;
    }
    // A function this line defined, called with known arguments: its body again, with $1, $2, ... set
    // (the body was judged where it was defined, with them unknown).
    const fn = this.functions.get(head.value);
    if (
      fn &&
      args.length &&
      args.every((a) => !a.dynamic) &&
      !base.via.some((v) => v.startsWith("function "))
    ) {
      const vars = new Map(st.vars);
      args.forEach((a, i) => vars.set(String(i + 1), a.value));
      vars.set("#", String(args.length));
      if (args.length === 1) for (const k of ["@", "*"]) vars.set(k, (args[0] as Arg).value);
      const fst: State = { ...st, vars, via: [...st.via, `function ${head.value}`] };
      if (fn.body.type === "CompoundList") this.list(fn.body.commands, fst, undefined);
      else this.node(fn.body, fst, undefined);
      return inv;
    }
    this.recordWrites(inv, st);
    // Running a file this line wrote or downloaded: judge what is in it.
    const ranFile = this.writtenFile(head.value, st, head.value.includes("/") ? "any" : "none");
    if (ranFile) {
      // A #! line naming an interpreter guard reads (python, node, perl, ...): judge the file as its code.
      const lang = "text" in ranFile ? shebangLang(ranFile.text) : undefined;
      if (lang && "text" in ranFile) {
        const code = [literalArg(codeFlag(lang), inv.span), literalArg(ranFile.text, inv.span)];
        this.inFile(ranFile, () => this.interpreter(inv, lang, code, st));
        return inv;
      }
      if (!("text" in ranFile) || !ranFile.disk || SHELL_SCRIPT.test(ranFile.text)) {
        this.runWritten(ranFile, inv, st, "shell");
        return inv;
      }
    }
    if (name === "rimraf" || name === "rimraf3" || name === "del-cli" || name === "trash") {
      child(
        [
          literalArg("rm", inv.span),
          literalArg("-r", inv.span),
          literalArg("-f", inv.span),
          ...args.filter((a) => !a.value.startsWith("-")),
        ],
        name,
      );
      return inv;
    }
    // Tools that run shell text given as an option's value: nodemon --exec, nix-shell --run/--command,
    // watchexec --shell... and hyperfine's benchmarked commands, given as plain words.
    const textFlags = SHELL_TEXT_FLAGS[name];
    if (textFlags) {
      const texts: Arg[] = [];
      args.forEach((a, i) => {
        const eq = a.value.indexOf("=");
        const flag = eq > 0 ? a.value.slice(0, eq) : a.value;
        if (textFlags?.includes(flag)) {
          const text = eq > 0 ? { ...a, value: a.value.slice(eq + 1) } : args[i + 1];
          if (text) texts.push(text);
        } else if (
          POSITIONAL_SHELL.has(name) &&
          !a.value.startsWith("-") &&
          !SHELL_TOOL_VALUED.has(args[i - 1]?.value ?? "")
        )
          texts.push(a);
      });
      for (const text of texts) {
        if (text.dynamic) this.dynamicCode(inv, [text], name, st);
        else this.shellText(text.value, st, text.span, name);
      }
      if (texts.length) return inv;
    }
    if (name === "flock" && args.some((a) => a.value === "-c" || a.value === "--command")) {
      const ci = args.findIndex((a) => a.value === "-c" || a.value === "--command");
      const text = args[ci + 1];
      if (text) {
        if (text.dynamic) this.dynamicCode(inv, [text], name, st);
        else this.shellText(text.value, st, text.span, "flock -c");
      }
      return inv;
    }
    if (name === "busybox" || name === "toybox") {
      child(args, name);
      return inv;
    }
    // Launchers that take the command as text: doppler/infisical run --command 'cmd'.
    if (
      (name === "doppler" || name === "infisical") &&
      args.some((a) => a.value === "--command" || a.value.startsWith("--command="))
    ) {
      const at = args.findIndex((a) => a.value === "--command" || a.value.startsWith("--command="));
      const a = args[at] as Arg;
      const text = a.value.startsWith("--command=") ? { ...a, value: a.value.slice(10) } : args[at + 1];
      if (text?.dynamic) this.dynamicCode(inv, [text], name, st);
      else if (text) this.shellText(text.value, st, inv.span, `${name} --command`);
      return inv;
    }
    // minikube kubectl -- ARGS: kubectl with those arguments.
    if (name === "minikube" && args[0]?.value === "kubectl") {
      const dd = args.findIndex((a) => a.value === "--");
      child([literalArg("kubectl", inv.span), ...args.slice(dd >= 0 ? dd + 1 : 1)], "minikube kubectl");
      return inv;
    }
    // gdb -ex 'shell CMD' / -ex '!CMD', and GNU sed's `e` command on text it reads.
    if (name === "gdb") {
      args.forEach((a, i) => {
        if ((a.value === "-ex" || a.value === "--eval-command") && args[i + 1]) {
          const m = /^\s*(?:shell|!)\s*([\s\S]+)$/.exec((args[i + 1] as Arg).value);
          if (m?.[1]) this.shellText(m[1], st, inv.span, "gdb shell");
        }
      });
    }
    if (name === "sed" && args.length === 1 && args[0]?.value === "e" && inv.stdin) {
      this.stdinCode(inv, st, "sed e", (text, span) => this.shellText(text, st, span, "sed e"));
      return inv;
    }
    // `command cd ~`, `builtin cd ~`: the builtin still changes this shell's directory.
    if (
      (name === "command" || name === "builtin") &&
      /^(cd|pushd|popd)$/.test(args.find((a) => !a.value.startsWith("-"))?.value ?? "")
    ) {
      this.emit(
        {
          ...inv,
          argv: args.filter((a) => !a.value.startsWith("-") || a !== args[0]),
          via: [...inv.via, name],
        },
        st,
      );
      return inv;
    }
    if (isLauncher(name)) {
      const u = unwrapLauncher(name, args);
      if (u && u.inner.length) {
        const cwd = u.chdir !== undefined ? resolvePath(st.cwd, u.chdir, st.home) : inv.cwd;
        this.emit(
          { ...inv, argv: u.inner, cwd, env: { ...inv.env, ...(u.env ?? {}) }, via: [...inv.via, name] },
          { ...st, cwd, via: [...st.via, name] },
        );
      }
      return inv;
    }
    if (isShell(name)) {
      this.shell(inv, args, st);
      return inv;
    }
    const lang = interpreterLang(name);
    // Framework database consoles (`rails dbconsole`, `manage.py dbshell`, `prisma db execute --stdin`) run
    // the SQL they read like the database's own client.
    if (isDbConsole(name, args)) {
      const file = args.findIndex((a) => a.value === "--file");
      child(
        [
          literalArg("psql", inv.span),
          ...(file >= 0 && args[file + 1] ? [literalArg("-f", inv.span), args[file + 1] as Arg] : []),
        ],
        `${name} console`,
      );
      return inv;
    }
    // make -f - / -f /dev/stdin / -f FILE this line wrote: the recipes it would run.
    if (name === "make" || name === "gmake" || name === "bmake") {
      const fi = args.findIndex((a) => a.value === "-f" || a.value === "--file" || a.value === "--makefile");
      const file = fi >= 0 ? args[fi + 1] : undefined;
      let text: string | undefined;
      if (file && (file.value === "-" || STDIN_PATHS.has(file.value)))
        text =
          inv.stdin?.kind === "text" && !inv.stdin.dynamic
            ? inv.stdin.text
            : inv.stdin?.kind === "pipe"
              ? pipeText(inv.stdin.from)
              : undefined;
      else if (file && !file.dynamic) {
        const w = this.writtenFile(file.value, st, "none");
        text = w && "text" in w ? w.text : undefined;
      }
      if (text !== undefined)
        for (const recipe of makeRecipes(text)) this.shellText(recipe, st, inv.span, `${name} recipe`);
      else if (file && (file.value === "-" || STDIN_PATHS.has(file.value)))
        this.signal("dynamic-shell-input", `${name} runs a makefile only known at run time`, inv.span);
      else if (!file && inv.cwd !== undefined) {
        // make [TARGET...] in a directory with a Makefile (written in this line or on disk): the targets'
        // recipes run, judged like a script on disk.
        const dirArg = args.findIndex((a) => a.value === "-C" || a.value === "--directory");
        const dir =
          dirArg >= 0 && args[dirArg + 1] && !args[dirArg + 1]?.dynamic
            ? resolvePath(inv.cwd, (args[dirArg + 1] as Arg).value, st.home)
            : inv.cwd;
        const found = dir
          ? ["GNUmakefile", "makefile", "Makefile"]
              .map((f) => this.writtenFile(`${dir}/${f}`, st, "any"))
              .find((w) => w && "text" in w)
          : undefined;
        if (found && "text" in found) {
          const targets = args.filter(
            (a, i) =>
              !a.value.startsWith("-") &&
              !a.value.includes("=") &&
              !["-C", "--directory", "-f", "-j"].includes(args[i - 1]?.value ?? ""),
          );
          this.noDisk++;
          try {
            for (const recipe of makeTargetRecipes(
              found.text,
              targets.map((t) => t.value),
            ))
              this.inFile(found, () =>
                this.shellText(recipe, { ...st, cwd: dir }, inv.span, `${name} recipe`),
              );
          } finally {
            this.noDisk--;
          }
        }
      }
    }
    // tar runs programs given in options: --checkpoint-action=exec=CMD, --to-command=CMD,
    // --use-compress-program=CMD (-I CMD), --info-script/--new-volume-script=CMD.
    if (name === "tar" || name === "gtar") {
      args.forEach((a, i) => {
        const m =
          /^--(?:checkpoint-action=exec|to-command|use-compress-program|info-script|new-volume-script|rsh-command)=(.+)$/.exec(
            a.value,
          );
        const text = m ? m[1] : a.value === "-I" || a.value === "-F" ? args[i + 1]?.value : undefined;
        if (text === undefined) return;
        if (a.dynamic) this.dynamicCode(inv, [a], name, st);
        else if (!/^(gzip|bzip2|xz|zstd|pigz|lz4|lzip|lzma|brotli)(\s+-\S+)*$/.test(text))
          this.shellText(text, st, inv.span, `${name} option`);
      });
    }
    // gh codespace ssh ... -- CMD: a command run in the codespace.
    if (name === "gh" && args[0]?.value === "codespace" && args[1]?.value === "ssh") {
      const dd = args.findIndex((a) => a.value === "--");
      const text = dd >= 0 ? args.slice(dd + 1) : [];
      const remote: State = { ...st, cwd: undefined, remote: true, vars: new Map(), exported: new Map() };
      if (text.some((a) => a.dynamic)) this.dynamicCode(inv, text, name, st);
      else if (text.length)
        this.shellText(text.map((a) => a.value).join(" "), remote, inv.span, "gh codespace ssh");
    }
    // Codex's apply_patch run as a command (`apply_patch <<'EOF' ... EOF`): the files it writes and deletes.
    if (name === "apply_patch" || name === "applypatch") {
      const text =
        inv.stdin?.kind === "text" && !inv.stdin.dynamic
          ? inv.stdin.text
          : args.length === 1 && !args[0]?.dynamic
            ? args[0]?.value
            : undefined;
      if (text === undefined)
        this.signal("dynamic-shell-input", `${name} applies a patch only known at run time`, inv.span);
      else {
        const { writes, deletes } = patchEffects(text);
        for (const w of writes) child([literalArg("tee", inv.span), literalArg(w, inv.span)], name);
        for (const d of deletes)
          child([literalArg("rm", inv.span), literalArg("-f", inv.span), literalArg(d, inv.span)], name);
      }
      return inv;
    }
    // Shell escapes of database clients: psql's \! and \o|\g|\w into a pipe, sqlite's .shell / .system and
    // .output|.once|.import from a pipe, mysql's system and \! run shell text here.
    if (["psql", "sqlite3", "sqlite", "duckdb", "mysql", "mariadb"].includes(name)) {
      const texts = [
        ...args.map((a) => a.value),
        ...(inv.stdin?.kind === "text" && !inv.stdin.dynamic ? [inv.stdin.text] : []),
      ];
      for (const t of texts)
        for (const m of t.matchAll(
          /(?:^|[;\n])\s*(?:\\!|\.shell\s|\.system\s|system\s|\\(?:o|g|gx|w)\s*\||\.(?:output|once|import)\s+['"]?\|)\s*([^\n'"]*)/g,
        ))
          if (m[1]?.trim()) this.shellText(m[1], st, inv.span, `${name} shell escape`);
    }
    // python -m base64 FILE reads and encodes FILE as base64 FILE does.
    const pyModule = lang === "python" && args[0]?.value === "-m" ? args[1]?.value : undefined;
    if (pyModule && PYTHON_FILE_MODULES.has(pyModule)) {
      child([literalArg(pyModule, inv.span), ...args.slice(2)], `${name} -m`);
      return inv;
    }
    if (lang) {
      this.interpreter(inv, lang, args, st);
      return inv;
    }
    switch (name) {
      case "eval": {
        const code = args[0]?.value === "--" ? args.slice(1) : args;
        if (code.length === 0) break;
        const text = code.map((a) => a.value).join(" ");
        if (code.some((a) => a.dynamic)) this.dynamicCode(inv, code, "eval", st);
        else this.shellText(text, st, inv.span, "eval", undefined, true);
        break;
      }
      case "trap": {
        // `trap 'cmd' SIGNAL...`: cmd runs later, when the signal (or EXIT) comes. `-p`, `-l`, `--`, a lone
        // `-` (reset) and a bare signal number (`trap 2`, reset in POSIX) run nothing.
        const rest = args[0]?.value === "--" ? args.slice(1) : args;
        const action = rest[0];
        if (!action || rest.length < 2 || action.value === "-" || /^-[lp]$/.test(action.value)) break;
        if (action.dynamic) this.dynamicCode(inv, [action], "eval", st);
        else if (action.value.trim()) this.shellText(action.value, st, inv.span, "trap");
        break;
      }
      case "hash": {
        // `hash -p /bin/rm ls`: the name ls now runs /bin/rm.
        const pi = args.findIndex((a) => a.value === "-p");
        const path = pi >= 0 ? args[pi + 1] : undefined;
        const alias = pi >= 0 ? args[pi + 2] : undefined;
        if (path && alias && !path.dynamic && !alias.dynamic)
          this.hashed.set(alias.value, basename(path.value));
        else if (path || alias)
          this.signal("dynamic-command", "hash -p maps a name to a program only known at run time", inv.span);
        break;
      }
      case "printf":
      case "read":
      case "mapfile":
      case "readarray":
      case "declare":
      case "typeset":
      case "local":
      case "unset": {
        // Builtins that set or clear variables (printf -v d, read d, declare -n d=x, unset d): what d holds
        // afterwards is not known here.
        const names = args.filter((a, i) =>
          name === "printf"
            ? args[i - 1]?.value === "-v"
            : name === "declare" || name === "typeset" || name === "local"
              ? args.some((b) => /^-[a-zA-Z]*n/.test(b.value)) && /^[A-Za-z_]\w*(=|$)/.test(a.value)
              : /^[A-Za-z_]\w*$/.test(a.value) &&
                !args[i - 1]?.value.match(/^-[dnptu]$|^-[a-zA-Z]*[dnptuCc]$/),
        );
        for (const a of names) st.vars.delete(a.value.split("=")[0] as string);
        break;
      }
      case "source":
      case ".": {
        const file = args[0];
        if (file && /^\/(dev|proc\/self)\/fd\/([1-9]\d*)$/.test(file.value)) {
          this.dynamicCode(inv, [file], name, st);
          break;
        }
        if (file && STDIN_PATHS.has(file.value)) {
          this.stdinCode(inv, st, name, (text, span) => this.shellText(text, st, span, `${name} <stdin>`));
          break;
        }
        const written = file && !file.dynamic ? this.writtenFile(file.value, st, "any") : undefined;
        if (written) this.runWritten(written, inv, st, "shell");
        else if (file && (file.dynamic || file.text.startsWith("<(")))
          this.dynamicCode(inv, [file], name, st);
        break;
      }
      case "awk":
      case "gawk":
      case "mawk":
      case "nawk":
      case "busybox-awk": {
        // awk runs shell commands through system(), `print | "cmd"` and `"cmd" | getline`.
        const program = awkProgram(args);
        if (!program) break;
        if (program.dynamic) {
          this.signal("dynamic-interpreter-code", "awk runs a program only known at run time", inv.span);
          break;
        }
        for (const m of program.value.matchAll(
          /\bsystem\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)|\|\s*"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"\s*\|\s*getline/g,
        ))
          this.shellText((m[1] ?? m[2] ?? m[3] ?? "").replace(/\\"/g, '"'), st, inv.span, "awk");
        if (/\bsystem\s*\(\s*[^"\s)]/.test(program.value))
          this.signal(
            "dynamic-interpreter-code",
            "awk calls system() with a command built at run time",
            inv.span,
          );
        break;
      }
      case "vi":
      case "vim":
      case "nvim":
      case "ex":
      case "view": {
        // vim -c ':!cmd', +'!cmd', -c 'silent !cmd': shell commands run from the editor.
        for (let k = 0; k < args.length; k++) {
          const v = (args[k] as Arg).value;
          const cmdText =
            v === "-c" || v === "--cmd" ? args[k + 1]?.value : v.startsWith("+") ? v.slice(1) : undefined;
          const bang = cmdText ? /^\s*:?\s*(?:silent!?\s+|exe(?:cute)?\s+)?!(.*)$/.exec(cmdText) : null;
          if (bang) this.shellText(bang[1] as string, st, inv.span, `${name} -c`);
        }
        break;
      }
      case "sed":
      case "gsed": {
        // GNU sed's `e` command and `s///e` flag run shell commands.
        const scripts = args.flatMap((a, k) =>
          args[k - 1]?.value === "-e" || args[k - 1]?.value === "--expression" ? [a.value] : [],
        );
        const firstPos = args.find(
          (a, k) =>
            !a.value.startsWith("-") &&
            !["-e", "--expression", "-f", "--file"].includes(args[k - 1]?.value ?? ""),
        );
        if (scripts.length === 0 && firstPos) scripts.push(firstPos.value);
        for (const sc of scripts) {
          for (const m of sc.matchAll(/(?:^|[;\n{])\s*(?:\d+|\$|\/[^/]*\/)?\s*e\s+([^;\n}]+)/g))
            this.shellText(m[1] as string, st, inv.span, "sed e");
          if (/(?:^|[;\n])\s*(?:\d+|\/[^/]*\/)?\s*s(.)(?:(?!\1).)*\1(?:(?!\1).)*\1[gpiImM0-9]*e/.test(sc))
            this.signal(
              "dynamic-interpreter-code",
              "sed runs the result of a substitution as a shell command",
              inv.span,
            );
        }
        break;
      }
      case "at":
      case "batch": {
        // at reads the commands to run later from stdin (or -f FILE).
        if (inv.stdin) this.stdinCode(inv, st, name, (text, span) => this.shellText(text, st, span, name));
        break;
      }
      case "tmux": {
        // tmux new-session|new-window|split-window|send-keys|run-shell ... "cmd"
        const verbAt = args.findIndex((a) =>
          /^(new|new-session|neww|new-window|splitw|split-window|run|run-shell|respawn-pane|respawn-window)$/.test(
            a.value,
          ),
        );
        if (verbAt >= 0) {
          const rest = args.slice(verbAt + 1);
          const valued = new Set(["-s", "-n", "-t", "-c", "-x", "-y", "-e", "-F", "-l", "-p", "-w", "-h"]);
          let k = 0;
          k = skipOptions(rest, k, valued, false);
          const cmd = rest.slice(k);
          if (cmd.length === 1 && cmd[0]) this.shellText(cmd[0].value, st, inv.span, "tmux");
          else if (cmd.length) child(cmd, "tmux");
        }
        const keys = args.findIndex((a) => a.value === "send-keys" || a.value === "send");
        if (keys >= 0) {
          const words = args
            .slice(keys + 1)
            .filter((a, k, all) => !a.value.startsWith("-") && all[k - 1]?.value !== "-t");
          const text = words
            .map((w) => (w.value === "Enter" || w.value === "C-m" ? "\n" : w.value))
            .join(" ");
          if (text.trim()) this.shellText(text, st, inv.span, "tmux send-keys");
        }
        break;
      }
      case "screen": {
        const valued = new Set(["-S", "-c", "-e", "-h", "-p", "-T", "-t", "-X", "-s", "-L", "-Logfile"]);
        let k = 0;
        k = skipOptions(args, k, valued, false);
        child(args.slice(k), "screen");
        break;
      }
      case "uv":
      case "poetry":
      case "pipx":
      case "pdm":
      case "hatch":
      case "rye":
      case "bundle":
      case "conda":
      case "mamba":
      case "micromamba":
      case "pixi":
      case "nix-shell":
      case "direnv":
      case "dotenvx":
      case "op":
      case "doppler":
      case "aws-vault":
      case "infisical": {
        // uv run CMD, poetry run CMD, pipx run CMD, bundle exec CMD, conda run -n env CMD, op run -- CMD, ...
        const verbs = new Set(["run", "exec", "x", "tool"]);
        const at = args.findIndex((a) => verbs.has(a.value));
        if (at < 0) break;
        const valued = new Set([
          "-n",
          "--name",
          "-p",
          "--prefix",
          "--with",
          "--python",
          "--env-file",
          "--project",
          "--directory",
          "--spec",
          "-e",
          "--environment",
          "--from",
          "--profile",
          "-c",
          "--config",
        ]);
        let k = at + 1;
        if (args[at]?.value === "tool" && args[k]?.value === "run") k++;
        k = skipOptions(args, k, valued);
        if (name === "nix-shell") {
          const ci = args.findIndex((a) => a.value === "--run" || a.value === "--command");
          if (ci >= 0 && args[ci + 1])
            this.shellText((args[ci + 1] as Arg).value, st, inv.span, "nix-shell --run");
          break;
        }
        child(args.slice(k), `${name} ${args[at]?.value}`);
        break;
      }
      case "vagrant":
      case "gcloud":
      case "heroku":
      case "fly":
      case "flyctl":
      case "az":
      case "multipass":
      case "lxc":
      case "incus": {
        // Remote commands through a cloud or VM CLI: vagrant ssh -c, gcloud compute ssh --command,
        // heroku run, fly ssh console -C, az vm run-command invoke --scripts, multipass exec -- .
        const remote: State = { ...st, cwd: undefined, remote: true, vars: new Map(), exported: new Map() };
        const flag = args.findIndex(
          (a) => ["-c", "--command", "-C", "--scripts"].includes(a.value) || a.value.startsWith("--command="),
        );
        const isRemoteVerb = args.some((a) =>
          ["ssh", "run", "run-command", "exec", "console"].includes(a.value),
        );
        if (!isRemoteVerb) break;
        let text: Arg | undefined;
        if (flag >= 0) {
          const f = args[flag] as Arg;
          text = f.value.startsWith("--command=") ? { ...f, value: f.value.slice(10) } : args[flag + 1];
        } else if (name === "heroku" && args[0]?.value === "run") {
          const rest = args
            .slice(1)
            .filter(
              (a, k, all) =>
                !a.value.startsWith("-") &&
                !["-a", "--app", "-r", "--remote", "-s", "--size"].includes(all[k - 1]?.value ?? ""),
            );
          if (rest.length) text = { ...(rest[0] as Arg), value: rest.map((a) => a.value).join(" ") };
        } else {
          const dd = args.findIndex((a) => a.value === "--");
          if (dd >= 0 && args.length > dd + 1)
            text = {
              ...(args[dd + 1] as Arg),
              value: args
                .slice(dd + 1)
                .map((a) => a.value)
                .join(" "),
            };
        }
        if (text) {
          if (text.dynamic) this.dynamicCode(inv, [text], name, st);
          else this.shellText(text.value, remote, inv.span, `${name} remote`);
        }
        break;
      }
      case "alias":
        for (const a of args) {
          const eq = a.value.indexOf("=");
          if (eq <= 0) continue;
          this.aliases.set(a.value.slice(0, eq), a.value.slice(eq + 1));
          this.shellText(a.value.slice(eq + 1), st, a.span, "alias");
        }
        break;
      case "watch": {
        let i = 0;
        let exec = false;
        for (; i < args.length; i++) {
          const v = (args[i] as Arg).value;
          if (v === "-x" || v === "--exec") exec = true;
          else if (
            ["-n", "--interval", "-d", "--differences", "-q", "--equexit", "--chgexit"].includes(v) &&
            /^-n|--interval/.test(v)
          )
            i++;
          else if (!v.startsWith("-")) break;
        }
        const rest = args.slice(i);
        if (exec) child(rest, "watch");
        else if (rest.length) this.shellText(rest.map((a) => a.value).join(" "), st, inv.span, "watch");
        break;
      }
      case "flock":
      case "script":
      case "su":
      case "runuser": {
        const ci = args.findIndex(
          (a) => a.value === "-c" || a.value === "--command" || /^-[a-z]*c$/.test(a.value),
        );
        const text = ci >= 0 ? args[ci + 1] : undefined;
        if (text) {
          if (text.dynamic) this.dynamicCode(inv, [text], name, st);
          else this.shellText(text.value, st, text.span, `${name} -c`);
        } else if (name === "runuser") {
          // runuser -u USER [--] COMMAND...
          const k = skipOptions(args, 0, new Set(["-u", "--user", "-g", "--group", "-G", "--supp-group"]));
          child(args.slice(k), name);
        } else if (name === "flock") {
          const u = unwrapLauncher("flock", args);
          if (u?.inner.length) child(u.inner, "flock");
        }
        break;
      }
      case "xargs":
      case "parallel":
        this.xargs(inv, args, st, name);
        break;
      case "find":
        this.find(inv, args, st);
        break;
      case "ssh":
        this.ssh(inv, args, st);
        break;
      case "pssh":
      case "parallel-ssh":
      case "pdsh":
      case "clush":
      case "salt":
      case "salt-ssh":
      case "mosh": {
        // Commands run on many hosts at once (or, for mosh, after `--`): judged as remote shell text.
        const remote: State = { ...st, cwd: undefined, remote: true, vars: new Map(), exported: new Map() };
        const dd = args.findIndex((a) => a.value === "--");
        const run = args.findIndex((a) => /^cmd\.(run|shell|script|exec_code)$/.test(a.value));
        const text =
          name === "mosh"
            ? dd >= 0
              ? args.slice(dd + 1)
              : []
            : name.startsWith("salt")
              ? run >= 0
                ? args.slice(run + 1, run + 2)
                : []
              : args.slice(-1).filter((a) => !a.value.startsWith("-"));
        if (text.some((a) => a.dynamic)) this.dynamicCode(inv, text, name, st);
        else if (text.length) this.shellText(text.map((a) => a.value).join(" "), remote, inv.span, name);
        break;
      }
      case "kubectl":
      case "oc": {
        const ei = args.findIndex((a) => a.value === "exec" || a.value === "debug" || a.value === "run");
        const dd = args.indexOf(args.find((a) => a.value === "--") as Arg);
        if (ei >= 0 && dd > ei) child(args.slice(dd + 1), `${name} exec`, { remote: true, cwd: undefined });
        break;
      }
      case "docker":
      case "podman":
      case "nerdctl":
      case "finch":
      case "docker-compose":
      case "podman-compose":
        this.containerExec(
          inv,
          name.endsWith("-compose") ? [literalArg("compose", inv.span), ...args] : args,
          name,
        );
        break;
      case "ansible": {
        // ansible HOSTS -m shell|command|raw -a 'CMD': the command runs on every matched host.
        const mi = args.findIndex((a) => a.value === "-m" || a.value === "--module-name");
        const module = mi >= 0 ? args[mi + 1]?.value : "command";
        const ai = args.findIndex((a) => a.value === "-a" || a.value === "--args");
        const text = ai >= 0 ? args[ai + 1] : undefined;
        if (
          text &&
          [
            "shell",
            "command",
            "raw",
            "ansible.builtin.shell",
            "ansible.builtin.command",
            "ansible.builtin.raw",
          ].includes(module ?? "")
        ) {
          const remote: State = { ...st, cwd: undefined, remote: true, vars: new Map(), exported: new Map() };
          if (text.dynamic) this.dynamicCode(inv, [text], "ansible", st);
          else this.shellText(text.value, remote, text.span, "ansible");
        }
        break;
      }
      case "npm":
      case "pnpm":
      case "yarn":
      case "bun": {
        // npm exec -- CMD, pnpm exec|dlx CMD, yarn exec|dlx CMD, bun x CMD: the package's binary runs.
        const sub = args.findIndex((a) => !a.value.startsWith("-"));
        const verb = args[sub]?.value;
        if (sub >= 0 && (verb === "exec" || verb === "dlx" || verb === "x")) {
          const ci = args.findIndex((a) => a.value === "-c" || a.value === "--call");
          const text = ci >= 0 ? args[ci + 1] : undefined;
          if (text?.dynamic) this.dynamicCode(inv, [text], `${name} ${verb} -c`, st);
          else if (text) this.shellText(text.value, st, text.span, `${name} ${verb} -c`);
          else {
            const j = skipOptions(args, sub + 1, RUNNER_VALUED);
            child(args.slice(j), `${name} ${verb}`);
          }
        } else this.packageScript(inv, name, args, sub, st);
        break;
      }
      case "git":
        this.gitShellText(inv, args, st);
        break;
      case "npx":
      case "pnpx":
      case "bunx": {
        // npx -c 'cmd' runs shell text; npx [-y] [-p pkg] CMD args runs the package's binary.
        const ci = args.findIndex((a) => a.value === "-c" || a.value === "--call");
        const text = ci >= 0 ? args[ci + 1] : undefined;
        if (text && !text.dynamic) this.shellText(text.value, st, text.span, `${name} -c`);
        else if (!text) {
          const rest = args.slice(skipOptions(args, 0, NPX_VALUED));
          const pkg = rest[0];
          // npx pkg@1.2.3 runs the binary "pkg"; a scoped @scope/pkg runs "pkg".
          if (pkg && !pkg.dynamic)
            child(
              [{ ...pkg, value: pkg.value.replace(/^(@[^/]+\/)?([^@]+)(@.*)?$/, "$2") }, ...rest.slice(1)],
              name,
            );
        }
        break;
      }
    }
    return inv;
  }

  /**
   * `cat .env | curl -d @- URL`, `base64 key | nc host 9000`: an uploader sending its stdin sends the files
   * the pipe's source reads. Judged as well as the invocation sending those files by name (`curl -d @.env`).
   */
  private uploadedFiles(inv: Invocation, st: State): void {
    const from = inv.stdin?.kind === "pipe" ? inv.stdin.from : undefined;
    if (!from || !FILE_READERS.has(from.name) || !UPLOADERS.has(inv.name)) return;
    const files = from.argv.slice(1).filter((a) => !a.value.startsWith("-") && !a.dynamic);
    if (files.length === 0) return;
    const label = `${from.name} ${files.map((f) => f.text).join(" ")} |`;
    // curl -d @- / -T - / -F f=<-: the word that names stdin names the files instead; otherwise (nc, socat
    // and the like) the files are added as arguments.
    const stdinWord = /^(@|<)-$|^-$|^(.*[=:])?[@<]-$/;
    const named = inv.argv.some((a, i) => i > 0 && stdinWord.test(a.value));
    const argv = named
      ? inv.argv.flatMap((a, i) =>
          i > 0 && stdinWord.test(a.value)
            ? files.map((f) => ({ ...a, value: a.value.replace(/-$/, f.value), text: f.text }))
            : [a],
        )
      : [...inv.argv, ...files];
    this.emit(
      { ...inv, argv, stdin: undefined, via: [...inv.via, label] },
      { ...st, via: [...st.via, label] },
    );
  }

  /** `<(echo 'SQL')`: a process substitution of literal text reads like a file holding that text. */
  private procSubText(w: Word, st: State): void {
    const part = w.parts?.length === 1 ? w.parts[0] : undefined;
    if (part?.type !== "ProcessSubstitution" || part.operator !== "<" || !part.script) return;
    const cmds = part.script.commands;
    const only = cmds.length === 1 ? cmds[0]?.command : undefined;
    if (only?.type !== "Command" || !only.name) return;
    const env = this.wenv(st);
    const argv = [only.name, ...only.suffix.filter((x): x is Word => x.type === "Word")].map((x) =>
      wordValue(x, env),
    );
    const text = pipeText({
      argv,
      name: argv[0]?.value ?? "",
      cwd: st.cwd,
      redirects: [],
      stdin: undefined,
      env: {},
      via: [],
      span: [0, 0],
      remote: false,
    });
    const p = resolvePath(st.cwd, w.value, st.home);
    if (text !== undefined && p) this.written.set(p, { text });
  }

  /**
   * What is in the file `word` names: written or downloaded earlier in this line, else (with `disk: "any"`)
   * read from disk.
   */
  private writtenFile(word: string, st: State, disk: "none" | "any" = "none"): Written | undefined {
    if (word.includes("$") && !word.startsWith("<(")) return undefined;
    const p = this.written.size || disk !== "none" ? resolvePath(st.cwd, word, st.home) : undefined;
    if (p === undefined) return undefined;
    const known = this.written.get(p);
    if (known || disk === "none" || st.remote || st.ephemeral || !this.ctx.readScript || this.noDisk > 0)
      return known;
    if (word.startsWith("<(") || SYSTEM_PROGRAMS.test(p) || this.ctx.decoys?.paths.includes(p))
      return undefined;
    if (this.diskRead.has(p) || this.diskRead.size >= 8) return undefined;
    this.diskRead.add(p);
    const text = this.ctx.readScript(p);
    if (text === undefined) return undefined;
    return { text, disk: true };
  }

  /** Runs `fn` on text read from disk (signals of what cannot be resolved are dropped there). */
  private inFile(file: { disk?: true }, fn: () => void): void {
    if (file.disk) this.onDisk++;
    try {
      fn();
    } finally {
      if (file.disk) this.onDisk--;
    }
  }

  /** Runs what this line wrote to a file: shell text, SQL or a downloaded script. */
  private runWritten(file: Written, inv: Invocation, st: State, as: "shell" | "stdin"): void {
    if ("producedBy" in file) {
      const decoded = DECODERS.has(file.producedBy);
      this.signal(
        decoded ? "decoded-to-shell" : "dynamic-shell-input",
        `${inv.name || "the line"} runs a file ${decoded ? "decoded" : "written"} by ${file.producedBy} in this line`,
        inv.span,
      );
      return;
    }
    if ("downloaded" in file) {
      this.signal(
        "remote-script-to-shell",
        `${inv.name || "the line"} runs a script it has just downloaded`,
        inv.span,
      );
      return;
    }
    if (as === "shell")
      this.inFile(file, () =>
        this.shellText(
          file.text,
          st,
          inv.span,
          `${inv.name} <${file.disk ? "script file" : "written file"}>`,
        ),
      );
  }

  /** Remembers files this line writes with known content, and files it downloads. */
  private recordWrites(inv: Invocation, st: State): void {
    const name = basename(inv.argv[0]?.value ?? "");
    if (name === "tee") {
      const text =
        inv.stdin?.kind === "text" && !inv.stdin.dynamic
          ? inv.stdin.text
          : inv.stdin?.kind === "pipe"
            ? pipeText(inv.stdin.from)
            : undefined;
      const append = inv.argv.some((a) => a.value === "-a" || a.value === "--append");
      for (const a of inv.argv.slice(1)) {
        if (a.value.startsWith("-") || a.dynamic) continue;
        const p = resolvePath(st.cwd, a.value, st.home);
        if (!p) continue;
        const prev = append ? this.written.get(p) : undefined;
        this.written.set(
          p,
          text === undefined
            ? { producedBy: "tee" }
            : { text: (prev && "text" in prev ? prev.text : "") + text },
        );
      }
    }
    if (name === "mv") {
      // A rename in this line: what is deleted later under the new name is what was moved there.
      const words = inv.argv.slice(1).filter((a) => !a.value.startsWith("-"));
      const [from, to] = words.length === 2 ? words : [];
      const f = from && !from.dynamic ? resolvePath(st.cwd, from.value, st.home) : undefined;
      const t =
        to && !to.dynamic && !to.value.endsWith("/") ? resolvePath(st.cwd, to.value, st.home) : undefined;
      if (f && t) this.links.set(t, f);
    }
    if (name === "ln" && inv.argv.some((a) => /^-[a-zA-Z]*s/.test(a.value) || a.value === "--symbolic")) {
      // A symlink made in this line: later paths through it are paths under its target.
      const words = inv.argv.slice(1).filter((a) => !a.value.startsWith("-"));
      const [target, link] = words.length === 2 ? words : [];
      const t = target && !target.dynamic ? resolvePath(st.cwd, target.value, st.home) : undefined;
      const l = link && !link.dynamic ? resolvePath(st.cwd, link.value, st.home) : undefined;
      if (t && l) this.links.set(l, t);
    }
    if (name === "dd") {
      const src = inv.argv.find((a) => a.value.startsWith("if="));
      const dst = inv.argv.find((a) => a.value.startsWith("of="));
      if (
        src &&
        dst &&
        !src.dynamic &&
        !dst.dynamic &&
        /^if=\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(src.value)
      ) {
        const p = resolvePath(st.cwd, dst.value.slice(3), st.home);
        if (p) this.binaryCopies.set(p, basename(src.value.slice(3)));
      }
    }
    if (name === "cp" || name === "ln" || name === "install") {
      const words = inv.argv
        .slice(1)
        .filter(
          (a, i, all) =>
            !a.value.startsWith("-") &&
            !["-m", "--mode", "-o", "-g", "-t", "-S"].includes(all[i - 1]?.value ?? ""),
        );
      const [src, dst] = words.length === 2 ? words : [];
      if (
        src &&
        dst &&
        !src.dynamic &&
        !dst.dynamic &&
        /^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(src.value)
      ) {
        const p = resolvePath(st.cwd, dst.value, st.home);
        if (p) this.binaryCopies.set(p, basename(src.value));
      }
    }
    for (const r of inv.redirects) {
      if (!r.target || r.target.dynamic || !(r.op === ">" || r.op === ">>" || r.op === ">|")) continue;
      if (r.fd !== undefined && r.fd !== 1) continue;
      const p = resolvePath(st.cwd, r.target.value, st.home);
      if (!p) continue;
      const text = pipeText({ ...inv, name });
      if (text !== undefined) {
        const prev = r.op === ">>" ? this.written.get(p) : undefined;
        this.written.set(p, { text: (prev && "text" in prev ? prev.text : "") + text });
      } else if (FILE_DOWNLOADERS.has(name)) this.written.set(p, { downloaded: true });
      else {
        // Written with content only known when it runs (`base64 -d > x`): running it is not judged blind.
        const source = pipeSources(inv).find((s) => DECODERS.has(s.name) || FILE_DOWNLOADERS.has(s.name));
        if (source && FILE_DOWNLOADERS.has(source.name)) this.written.set(p, { downloaded: true });
        else this.written.set(p, { producedBy: source?.name ?? name });
      }
    }
    if (FILE_DOWNLOADERS.has(name)) {
      const target = downloadTarget(name, inv.argv.slice(1));
      const p = target && target !== "-" ? resolvePath(st.cwd, target, st.home) : undefined;
      if (p) this.written.set(p, { downloaded: true });
    }
  }

  /** `kubectx prod`, `kubectl config use-context prod`, `kubens x`: later kubectl calls act there. */
  private kubeSwitch(name: string, args: readonly Arg[], st: State): void {
    const words = args.filter((a) => !a.value.startsWith("-"));
    let context: Arg | undefined;
    let namespace: Arg | undefined;
    if (name === "kubectx" && words.length === 1) context = words[0];
    else if (name === "kubens" && words.length === 1) namespace = words[0];
    else if ((name === "kubectl" || name === "oc") && words[0]?.value === "config") {
      if (words[1]?.value === "use-context" || words[1]?.value === "use") context = words[2];
      if (words[1]?.value === "set-context" && args.some((a) => a.value === "--current")) {
        const ns = args.find((a) => a.value.startsWith("--namespace="));
        if (ns) namespace = { ...ns, value: ns.value.slice(12) };
      }
    } else if (name === "oc" && words[0]?.value === "project" && words[1]) namespace = words[1];
    const set = (key: string, a: Arg) =>
      a.dynamic ? st.exported.set(key, "*unknown*") : st.exported.set(key, a.value);
    if (context) set("KUBECONTEXT", context);
    if (namespace) set("KUBENAMESPACE", namespace);
  }

  /**
   * A script named by find or xargs from a listing inside the project (`find src -name '*.test.js' -exec
   * node --test {} +`): the project's own files, run like `node src/a.test.js` would be.
   */
  private projectFiles(inv: Invocation, script: Arg): boolean {
    return script.dynamic && script.value === "{}" && this.projectListing(inv);
  }

  /** The invocation's `{}` items come from a find or xargs listing inside the project. */
  private projectListing(inv: Invocation): boolean {
    const under = inv.dynamicArgsUnder;
    if (under === undefined) return false;
    const root = this.ctx.projectRoot.replace(/\/+$/, "");
    return under === root || under.startsWith(`${root}/`);
  }

  private dynamicCode(inv: Invocation, args: readonly Arg[], label: string, st: State): void {
    const text = args.map((a) => a.text).join(" ");
    // Shell setup lines every developer has: `eval "$(direnv hook bash)"`, `eval $(ssh-agent -s)`,
    // `source <(kubectl completion bash)`. Their text comes from the tool itself.
    if (SETUP_OUTPUT.test(text)) return;
    if (/\b(?:curl|wget|fetch|aria2c|nc|ncat)\b/.test(text))
      this.signal("remote-script-to-shell", `${label} runs code downloaded from the network`, inv.span);
    else if (/\b(?:base64|base32|xxd|openssl|gunzip|zcat|rev|uudecode)\b/.test(text))
      this.signal("decoded-to-shell", `${label} runs decoded or obfuscated text`, inv.span);
    else
      this.signal(
        label === "eval" ? "dynamic-eval" : "dynamic-shell-input",
        `${label} runs text that is only known at run time`,
        inv.span,
      );
    void st;
  }

  private shell(inv: Invocation, args: readonly Arg[], st: State): void {
    // Variables a shell runs: PROMPT_COMMAND (a command), PS1/PS2/PS4 (expanded, so $(...) in them runs),
    // BASH_FUNC_name%% (a function definition), BASH_ENV/ENV (a file sourced first).
    for (const [k, v] of Object.entries(inv.env)) {
      if (k === "PROMPT_COMMAND") this.shellText(v, st, inv.span, `${inv.name} ${k}`);
      else if (/^PS[0-4]$/.test(k) && /\$\(|`/.test(v))
        this.shellText(`: ${v}`, st, inv.span, `${inv.name} ${k}`);
      else if (/^BASH_FUNC_.+%%$/.test(k) && v.startsWith("()"))
        this.shellText(v.slice(2), st, inv.span, `${inv.name} ${k}`);
      else if (k === "BASH_ENV" || k === "ENV")
        this.signal("dynamic-shell-input", `${inv.name} first sources the file in ${k}`, inv.span);
    }
    const call = parseShellArgs(args);
    if (call.noexec) return;
    const label = `${inv.name} -c`;
    if (call.command) {
      const cmdText = call.command;
      // `curl ... | sh -c '. /dev/stdin'`, `| bash -c bash`: the -c text hands its stdin on as the program.
      if (
        !cmdText.dynamic &&
        inv.stdin &&
        /^\s*(?:(?:\.|source)\s+(?:\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)|(?:exec\s+)?(?:ba|da|z|k)?sh(?:\s+-[a-z]+)*(?:\s+-)?)\s*$/.test(
          cmdText.value,
        )
      )
        this.stdinCode(inv, st, inv.name, (text, span) =>
          this.shellText(text, st, span, `${inv.name} <stdin>`),
        );
      // `ls packages | xargs -I{} sh -c 'cd packages/{} && npm test'`: the items are names from a listing
      // inside the project; judge the text with one standing in for {}.
      if (
        cmdText.dynamic &&
        this.projectListing(inv) &&
        cmdText.value.includes("{}") &&
        !/\$/.test(cmdText.value)
      )
        this.shellText(cmdText.value.split("{}").join("item"), st, cmdText.span, label);
      else if (cmdText.dynamic) this.dynamicCode(inv, [cmdText], inv.name, st);
      else {
        const vars = new Map(st.vars);
        call.params.forEach((p, i) => {
          if (!p.dynamic) vars.set(String(i), p.value);
        });
        this.shellText(call.command.value, { ...st, vars }, call.command.span, label);
      }
      return;
    }
    // Another descriptor as the script (`bash /dev/fd/3 3<<< '...'`): text guard does not follow.
    if (call.script && /^\/(dev|proc\/(self|thread-self|\d+))\/fd\/([1-9]\d*)$/.test(call.script.value)) {
      this.dynamicCode(inv, [call.script], inv.name, st);
      return;
    }
    if (call.script && STDIN_PATHS.has(call.script.value)) {
      this.stdinCode(inv, st, inv.name, (text, span) =>
        this.shellText(text, st, span, `${inv.name} <stdin>`),
      );
      return;
    }
    if (call.script) {
      const written = call.script.dynamic ? undefined : this.writtenFile(call.script.value, st, "any");
      if (written) this.runWritten(written, inv, st, "shell");
      else if (this.projectFiles(inv, call.script)) return;
      else if (call.script.dynamic || call.script.text.startsWith("<("))
        this.dynamicCode(inv, [call.script], inv.name, st);
      return;
    }
    if (inv.stdin?.kind === "file" && !inv.stdin.path.dynamic) {
      const written = this.writtenFile(inv.stdin.path.value, st, "any");
      if (written) {
        this.runWritten(written, inv, st, "shell");
        return;
      }
    }
    this.stdinCode(inv, st, inv.name, (text, span) => this.shellText(text, st, span, `${inv.name} <stdin>`));
  }

  /** A shell or interpreter that reads its program from stdin: judge that program. */
  private stdinCode(
    inv: Invocation,
    st: State,
    label: string,
    judge: (text: string, span: Span) => void,
  ): void {
    const stdin = inv.stdin;
    if (!stdin) return; // interactive: the human types
    if (stdin.kind === "text") {
      if (stdin.dynamic)
        this.dynamicInput(label, stdin.text, inv.span, "text that is only known at run time");
      judge(stdin.text, inv.span);
      return;
    }
    if (stdin.kind === "file") {
      if (stdin.path.dynamic)
        this.dynamicInput(label, stdin.path.value, inv.span, "a script only known at run time");
      return;
    }
    const text = pipeText(stdin.from);
    if (text !== undefined) {
      judge(text, stdin.from.span);
      return;
    }
    const sources = pipeSources(stdin.from);
    if (sources.some((s) => DOWNLOADERS.has(s.name)))
      this.signal("remote-script-to-shell", `${label} runs code downloaded from the network`, inv.span);
    else if (sources.some((s) => DECODERS.has(s.name)))
      this.signal("decoded-to-shell", `${label} runs decoded or obfuscated text`, inv.span);
    else this.signal("dynamic-shell-input", `${label} runs text produced by another command`, inv.span);
  }

  /** Input only known at run time: from a download (`bash <<< "$(curl ...)"`, `bash < <(wget ...)`) it is remote code. */
  private dynamicInput(label: string, text: string, span: Span, what: string): void {
    if (/(?:\$\(|<\(|`)\s*(?:curl|wget|wget2|fetch|http|https|xh|aria2c)\s/.test(text))
      this.signal("remote-script-to-shell", `${label} runs code downloaded from the network`, span);
    else this.signal("dynamic-shell-input", `${label} runs ${what}`, span);
  }

  private interpreter(
    inv: Invocation,
    lang: NonNullable<ReturnType<typeof interpreterLang>>,
    args: readonly Arg[],
    st: State,
  ): void {
    const call = parseInterpreterArgs(lang, args);
    const label = `${inv.name} -c`;
    const judge = (code: string, span: Span): void => {
      const f = scanCode(lang, code);
      const sub: State = { ...st, via: [...st.via, label], spanOverride: span };
      for (const text of f.shell) this.shellText(text, st, span, label);
      for (const argv of f.argvs)
        this.emit(
          { ...inv, argv: argv.map((a) => literalArg(a, span)), via: [...inv.via, label], stdin: undefined },
          sub,
        );
      for (const d of f.dynamic)
        this.signal(
          "dynamic-interpreter-code",
          `${inv.name} code calls ${d} with arguments only known at run time`,
          span,
        );
      if (f.reverseShell)
        this.signal("remote-script-to-shell", `${inv.name} code connects a shell to the network`, span);
    };
    if (call.code) {
      if (call.code.dynamic) this.dynamicCode(inv, [call.code], inv.name, st);
      else judge(call.code.value, call.code.span);
      return;
    }
    if (call.script) {
      const written = call.script.dynamic ? undefined : this.writtenFile(call.script.value, st, "any");
      if (written && "text" in written) this.inFile(written, () => judge(written.text, inv.span));
      else if (written) this.runWritten(written, inv, st, "shell");
      else if (this.projectFiles(inv, call.script)) return;
      else if (call.script.dynamic || call.script.text.startsWith("<("))
        this.dynamicCode(inv, [call.script], inv.name, st);
      return;
    }
    if (call.module !== undefined) return;
    this.stdinCode(inv, st, inv.name, judge);
  }

  private xargs(inv: Invocation, args: readonly Arg[], st: State, name: string): void {
    const valued = new Set([
      "-I",
      "-i",
      "-n",
      "-P",
      "-L",
      "-l",
      "-d",
      "-E",
      "-e",
      "-s",
      "-a",
      "--arg-file",
      "--delimiter",
      "--max-args",
      "--max-procs",
      "--replace",
      "-j",
      "--jobs",
      "-S",
      "--sshlogin",
    ]);
    let i = 0;
    let replace: string | undefined;
    for (; i < args.length; i++) {
      const v = (args[i] as Arg).value;
      if (v === "--") {
        i++;
        break;
      }
      if (!v.startsWith("-")) break;
      if (v === "-I" || v === "--replace") replace = args[i + 1]?.value;
      else if (/^-[Ii].+/.test(v)) {
        replace = v.slice(2);
        continue;
      } else if (v === "-i") replace = "{}";
      else if (v.startsWith("--replace=")) {
        replace = v.slice(10);
        continue;
      }
      if (valued.has(v) && v !== "-i") i++;
    }
    let cmd = args.slice(i);
    let inputs: Arg[] | undefined;
    // parallel CMD ::: a b c
    const triple = cmd.findIndex((a) => a.value === ":::" || a.value === "::::");
    if (name === "parallel" && triple >= 0) {
      inputs = cmd.slice(triple + 1);
      cmd = cmd.slice(0, triple);
    }
    // parallel runs a command given as one string through a shell: `parallel 'rm -rf {}' ::: a b`.
    const only = cmd[0];
    if (name === "parallel" && cmd.length === 1 && only && !only.dynamic && /\s/.test(only.value))
      cmd = splitWords(only.value).map((w) => ({ ...only, value: w, text: w }));
    // GNU parallel with no command runs each input as a command line: `parallel ::: 'cmd'`.
    if (name === "parallel" && cmd.length === 0 && inputs) {
      for (const input of inputs)
        if (input.dynamic) this.dynamicCode(inv, [input], name, st);
        else this.shellText(input.value, st, inv.span, name);
      return;
    }
    if (cmd.length === 0) cmd = [literalArg("echo", inv.span)];
    let under: string | undefined;
    let whole = false;
    if (!inputs && inv.stdin) {
      if (inv.stdin.kind === "pipe") {
        const text = pipeText(inv.stdin.from);
        if (text !== undefined)
          inputs = xargsItems(text, replace !== undefined).map((w) =>
            literalArg(w, inv.stdin?.kind === "pipe" ? inv.stdin.from.span : inv.span),
          );
        else {
          const listing = listingRoot(inv.stdin.from, st.home);
          under = listing?.dir;
          whole = listing?.whole ?? false;
          // rm fed every file of a tree, at every depth, deletes as much as rm -r of the tree: say so.
          const head = cmd[0];
          if (whole && listing?.deep && head && !head.dynamic && basename(head.value) === "rm")
            cmd = [head, literalArg("-r", head.span), ...cmd.slice(1)];
        }
      } else if (inv.stdin.kind === "text" && !inv.stdin.dynamic) {
        inputs = xargsItems(inv.stdin.text, replace !== undefined).map((w) => literalArg(w, inv.span));
      }
    }
    const placeholder: Arg = { value: "{}", text: "{}", dynamic: true, glob: false, span: inv.span };
    const fill = (items: Arg[]): Arg[] => {
      if (replace !== undefined && cmd.some((a) => a.value.includes(replace as string)))
        return cmd.flatMap((a) =>
          a.value.includes(replace as string)
            ? items.map((it) => ({ ...it, value: a.value.split(replace as string).join(it.value) }))
            : [a],
        );
      return [...cmd, ...items];
    };
    const argv = inputs ? fill(inputs) : fill([placeholder]);
    // `find / -name 'id_rsa*' | xargs cat`: the credential files such a listing names are read too.
    if (!inputs && inv.stdin?.kind === "pipe" && inv.stdin.from.name === "find" && copiesContent(cmd))
      for (const path of this.foundCredentials(inv.stdin.from, st))
        this.emit(
          { ...inv, argv: fill([literalArg(path, inv.span)]), stdin: undefined, via: [...inv.via, name] },
          { ...st, via: [...st.via, name] },
        );
    this.emit(
      {
        ...inv,
        argv,
        stdin: undefined,
        via: [...inv.via, name],
        ...(under !== undefined && !inputs
          ? { dynamicArgsUnder: under, ...(whole ? { dynamicArgsWhole: true } : {}) }
          : {}),
      },
      { ...st, via: [...st.via, name] },
    );
  }

  private find(inv: Invocation, args: readonly Arg[], st: State): void {
    const roots: string[] = [];
    let i = 0;
    for (; i < args.length; i++) {
      const v = (args[i] as Arg).value;
      if (["-H", "-L", "-P"].includes(v) || /^-O\d$/.test(v) || v === "-D") continue;
      if (v.startsWith("-") || v === "(" || v === "!" || v === "\\(") break;
      roots.push(v);
    }
    if (roots.length === 0) roots.push(".");
    const resolvedRoots = roots.map((r) => resolvePath(st.cwd, r, st.home));
    let under = resolvedRoots.length === 1 && resolvedRoots[0] !== undefined ? resolvedRoots[0] : undefined;
    // find . -name .git -exec rm -rf {} +: every match is named .git, so judge ROOT/.git.
    const nameAt = args.findIndex((a) => a.value === "-name" || a.value === "-iname");
    const name = nameAt >= 0 ? args[nameAt + 1] : undefined;
    let exact = false;
    if (under !== undefined && name && !name.dynamic && !/[*?[\]]/.test(name.value)) {
      under = `${under === "/" ? "" : under}/${name.value}`;
      exact = true;
    }
    // `-name '*'` filters nothing.
    const filtered =
      !exact &&
      args.some(
        (a, k) =>
          /^-(i?name|i?path|i?regex|newer|mtime|mmin|size|empty|user|perm|i?wholename|type|maxdepth|mindepth|links|inum)$/.test(
            a.value,
          ) && !(/^-i?name$/.test(a.value) && args[k + 1]?.value === "*"),
      );
    for (; i < args.length; i++) {
      const v = (args[i] as Arg).value;
      if (v === "-exec" || v === "-execdir" || v === "-ok" || v === "-okdir") {
        const start = i + 1;
        let end = start;
        while (end < args.length && args[end]?.value !== ";" && args[end]?.value !== "+") end++;
        const cmd = args.slice(start, end).map((a) => (a.value.includes("{}") ? { ...a, dynamic: true } : a));
        for (const path of copiesContent(cmd) ? this.foundCredentials(inv, st) : [])
          this.emit(
            {
              ...inv,
              argv: args
                .slice(start, end)
                .map((a) => (a.value.includes("{}") ? { ...a, value: a.value.split("{}").join(path) } : a)),
              stdin: undefined,
              via: [...inv.via, `find ${v}`],
            },
            { ...st, via: [...st.via, `find ${v}`] },
          );
        if (cmd.length)
          this.emit(
            {
              ...inv,
              argv: cmd,
              stdin: undefined,
              via: [...inv.via, `find ${v}`],
              ...(under !== undefined
                ? { dynamicArgsUnder: under, ...(filtered ? {} : { dynamicArgsWhole: true }) }
                : {}),
            },
            { ...st, via: [...st.via, `find ${v}`] },
          );
        i = end;
      }
    }
  }

  /**
   * `npm run x`, `npm test`, `yarn x`, `pnpm x`, `bun run x`: the script of that name in package.json (one
   * this line wrote, or the one on disk) runs, with its pre- and post- scripts. Judged like a script on disk.
   */
  private packageScript(inv: Invocation, name: string, args: readonly Arg[], sub: number, st: State): void {
    const verb = args[sub]?.value;
    if (verb === undefined || args[sub]?.dynamic) return;
    let script: string | undefined;
    if (["run", "run-script", "rum", "urn"].includes(verb)) {
      const rest = args.slice(sub + 1);
      const s =
        rest[
          skipOptions(
            rest,
            0,
            new Set(["--prefix", "-C", "--dir", "--cwd", "-w", "--workspace", "--filter", "-F"]),
          )
        ];
      script = s && !s.dynamic ? s.value : undefined;
    } else if (["test", "start", "stop", "restart"].includes(verb)) script = verb;
    else if (verb === "t" || verb === "tst") script = "test";
    else if (name !== "npm" && !PACKAGE_MANAGER_VERBS.has(verb)) script = verb; // yarn lint, pnpm build
    if (script === undefined) return;
    const at = args.findIndex((a) => ["--prefix", "-C", "--dir", "--cwd"].includes(a.value));
    const where = at >= 0 ? args[at + 1] : undefined;
    const dir = where ? (where.dynamic ? undefined : resolvePath(inv.cwd, where.value, st.home)) : inv.cwd;
    if (dir === undefined) return;
    const file = this.writtenFile(`${dir}/package.json`, st, "any");
    if (!file || !("text" in file)) return;
    let scripts: Record<string, unknown> | undefined;
    try {
      scripts = (JSON.parse(file.text) as { scripts?: Record<string, unknown> }).scripts;
    } catch {
      return;
    }
    const dirState: State = { ...st, cwd: dir };
    for (const key of [`pre${script}`, script, `post${script}`]) {
      const text = scripts?.[key];
      if (typeof text === "string" && text.trim()) {
        this.noDisk++;
        try {
          this.inFile(file, () => this.shellText(text, dirState, inv.span, `${name} run ${key}`));
        } finally {
          this.noDisk--;
        }
      }
    }
  }

  /** Credential files a `find ROOT -name PATTERN` listing would name (`find / -name 'id_rsa*'`). */
  private foundCredentials(find: Invocation, st: State): string[] {
    const args = find.argv.slice(1);
    const root = args.find((a) => !a.value.startsWith("-"));
    const rootPath = root && !root.dynamic ? resolvePath(find.cwd, root.value, st.home) : undefined;
    if (!rootPath) return [];
    const names = args.flatMap((a, i) =>
      /^-i?name$/.test(a.value) && args[i + 1] && !args[i + 1]?.dynamic
        ? [{ glob: args[i + 1]?.value as string, nocase: a.value === "-iname" }]
        : [],
    );
    if (names.length > 1) return [];
    // With no -name, every file under the root is listed.
    const [only] = names;
    return credentialFiles(st.home, find.cwd)
      .filter((p) => p === rootPath || p.startsWith(rootPath === "/" ? "/" : `${rootPath}/`))
      .filter((p) => !only || nameMatches(only.glob, p.slice(p.lastIndexOf("/") + 1), only.nocase))
      .slice(0, 2);
  }

  private ssh(inv: Invocation, args: readonly Arg[], st: State): void {
    // -o ProxyCommand=..., LocalCommand=..., KnownHostsCommand=...: shell text run on this machine.
    args.forEach((a, i) => {
      const opt =
        a.value === "-o"
          ? args[i + 1]
          : a.value.startsWith("-o")
            ? { ...a, value: a.value.slice(2) }
            : undefined;
      const m =
        opt && /^\s*(ProxyCommand|LocalCommand|KnownHostsCommand)\s*[=\s]\s*([\s\S]+)$/i.exec(opt.value);
      if (!opt || !m) return;
      if (opt.dynamic) this.dynamicCode(inv, [opt], `ssh ${m[1]}`, st);
      else this.shellText(m[2] as string, st, inv.span, `ssh ${m[1]}`);
    });
    const valued = new Set([
      "-b",
      "-c",
      "-D",
      "-E",
      "-e",
      "-F",
      "-I",
      "-i",
      "-J",
      "-L",
      "-l",
      "-m",
      "-O",
      "-o",
      "-p",
      "-Q",
      "-R",
      "-S",
      "-W",
      "-w",
      "-B",
    ]);
    let i = 0;
    i = skipOptions(args, i, valued);
    let rest = args.slice(i + 1);
    // OpenSSH reads options after the destination too (`ssh prod -t 'cmd'`), up to `--` or the command.
    if (rest[0]?.value !== "--") rest = rest.slice(skipOptions(rest, 0, valued, false));
    if (rest[0]?.value === "--") rest = rest.slice(1);
    const remote: State = { ...st, cwd: undefined, remote: true, vars: new Map(), exported: new Map() };
    const remoteShellReadsStdin =
      rest.length === 0 ||
      (rest.length <= 3 &&
        rest[0] !== undefined &&
        isShell(basename(rest[0].value)) &&
        parseShellArgs(rest.slice(1)).readsStdin);
    if (
      rest.length === 1 &&
      rest[0] &&
      !rest[0].dynamic &&
      /^\s*(ba|z|da|k)?sh(\s+-s)?\s*$/.test(rest[0].value)
    ) {
      // ssh host 'bash -s' < script
    } else if (rest.length && !remoteShellReadsStdin) {
      if (rest.some((a) => a.dynamic)) this.dynamicCode(inv, rest, "ssh", st);
      this.shellText(rest.map((a) => a.value).join(" "), remote, inv.span, "ssh");
      return;
    }
    if (inv.stdin?.kind === "file") {
      this.signal("dynamic-shell-input", "ssh runs a local script on the remote host", inv.span);
      return;
    }
    if (inv.stdin)
      this.stdinCode(inv, remote, "ssh", (text, span) => this.shellText(text, remote, span, "ssh <stdin>"));
  }

  private containerExec(inv: Invocation, args: readonly Arg[], name: string): void {
    // Global options before the verb: docker -H tcp://x --context prod compose -f a.yml -p x exec ...
    const globalValued = new Set([
      "-H",
      "--host",
      "--context",
      "-c",
      "--config",
      "--log-level",
      "-l",
      "--tlscacert",
      "--tlscert",
      "--tlskey",
      "--connection",
      "--url",
      "--identity",
      "-f",
      "--file",
      "-p",
      "--project-name",
      "--project-directory",
      "--env-file",
      "--profile",
      "--ansi",
      "--parallel",
      "--namespace",
      "-n",
      "--address",
      "-a",
    ]);
    let i = 0;
    const skipGlobals = () => {
      i = skipOptions(args, i, globalValued, false);
    };
    skipGlobals();
    if (args[i]?.value === "compose" || args[i]?.value === "container") {
      i++;
      skipGlobals();
    }
    const verb = args[i]?.value;
    if (verb !== "exec" && verb !== "run") return;
    const valued = new Set([
      "-e",
      "--env",
      "-u",
      "--user",
      "-w",
      "--workdir",
      "--env-file",
      "--detach-keys",
      "--name",
      "-v",
      "--volume",
      "-p",
      "--publish",
      "--entrypoint",
      "--network",
      "--platform",
      "-l",
      "--label",
      "--mount",
      "--index",
      "-h",
      "--hostname",
      "--memory",
      "-m",
      "--cpus",
      "--restart",
      "--pull",
      "--add-host",
      "--device",
      "--cap-add",
      "--cap-drop",
      "--security-opt",
      "--log-driver",
      "--ulimit",
      "--tmpfs",
      "--gpus",
      "--ipc",
      "--pid",
      "--dns",
      "--shm-size",
      "--stop-signal",
      "--runtime",
      "--init-path",
      "--expose",
      "--group-add",
    ]);
    let entrypoint: string | undefined;
    i++;
    for (; i < args.length; i++) {
      const v = (args[i] as Arg).value;
      if (!v.startsWith("-")) break;
      if (v === "--entrypoint") entrypoint = args[i + 1]?.value;
      else if (v.startsWith("--entrypoint=")) entrypoint = v.slice(13);
      if (valued.has(v)) i++;
    }
    let rest = args.slice(i + 1);
    // Images whose entrypoint is a CLI guard judges: `docker run amazon/aws-cli s3 rb ...` runs `aws s3 rb ...`.
    const image = args[i]?.value.replace(/^(docker\.io\/|public\.ecr\.aws\/)/, "").replace(/[:@].*$/, "");
    const cli = entrypoint ? undefined : verb === "run" && image ? IMAGE_ENTRYPOINTS[image] : undefined;
    if (cli && rest[0]?.value !== cli) rest = [literalArg(cli, inv.span), ...rest];
    if (entrypoint) rest = [literalArg(entrypoint, inv.span), ...rest];
    // A container started without mounts has a throwaway file system: deleting inside it loses nothing.
    const mounts = args.some(
      (a) => /^(-v|--volume|--mount|--volumes-from)(=|$)/.test(a.value) || /^-v./.test(a.value),
    );
    const ephemeral = verb === "run" && !mounts;
    if (rest.length)
      this.emit(
        {
          ...inv,
          argv: rest,
          remote: true,
          cwd: undefined,
          via: [...inv.via, `${name} ${verb}`],
          ...(ephemeral ? { ephemeral: true } : {}),
        },
        {
          cwd: undefined,
          vars: new Map(),
          exported: new Map(),
          via: [...inv.via, `${name} ${verb}`],
          depth: 0,
          spanOverride: inv.span,
          remote: true,
          home: "/root",
          ...(ephemeral ? { ephemeral: true } : {}),
        },
      );
  }

  /**
   * Shell text git itself runs: `-c alias.x='!cmd'`, `-c core.pager=cmd`, `-c core.sshCommand=cmd`,
   * GIT_PAGER / GIT_SSH_COMMAND / GIT_EDITOR, `rebase --exec cmd`, `submodule foreach cmd`, `bisect run cmd`.
   */
  private gitShellText(inv: Invocation, args: readonly Arg[], st: State): void {
    const aliases = new Map<string, string>();
    const runs = (text: string, label: string) => this.shellText(text, st, inv.span, label);
    const SHELL_KEYS =
      /^(core\.(pager|sshcommand|fsmonitor|editor|hookspath)|sequence\.editor|pager\.[\w-]+|diff\.external|gpg\.program|credential\.helper|uploadpack\.packobjectshook)$/;
    let i = 0;
    for (; i < args.length; i++) {
      const v = (args[i] as Arg).value;
      if (v === "-c" && args[i + 1]) {
        const kv = (args[i + 1] as Arg).value;
        const eq = kv.indexOf("=");
        const key = (eq < 0 ? kv : kv.slice(0, eq)).toLowerCase();
        const value = eq < 0 ? "" : kv.slice(eq + 1);
        const alias = /^alias\.(.+)$/.exec(key);
        if (alias) aliases.set(alias[1] as string, value);
        else if (SHELL_KEYS.test(key) && value && !key.startsWith("core.hookspath"))
          runs(value.replace(/^!/, ""), `git -c ${key}`);
        i++;
        continue;
      }
      if (["-C", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env"].includes(v)) {
        i++;
        continue;
      }
      if (v.startsWith("-")) continue;
      break;
    }
    for (const key of [
      "GIT_PAGER",
      "GIT_SSH_COMMAND",
      "GIT_EDITOR",
      "GIT_SEQUENCE_EDITOR",
      "GIT_EXTERNAL_DIFF",
      "GIT_ASKPASS",
    ]) {
      const text = inv.env[key];
      if (text) runs(text, key);
    }
    const sub = args[i];
    if (!sub) return;
    const rest = args.slice(i + 1);
    const def = aliases.get(sub.value.toLowerCase());
    if (def !== undefined) {
      const restText = rest.map((a) => a.value).join(" ");
      if (def.startsWith("!")) runs([def.slice(1), restText].filter(Boolean).join(" "), "git alias");
      else runs(["git", def, restText].filter(Boolean).join(" "), "git alias");
      return;
    }
    if (sub.value === "config") {
      // git config core.pager 'cmd': the command runs on later git calls; judge it now.
      const words = rest.filter((a) => !a.value.startsWith("-"));
      const key = words[0]?.value.toLowerCase() ?? "";
      const value = words[1];
      if (value && (SHELL_KEYS.test(key) || /^alias\./.test(key)) && !key.startsWith("core.hookspath")) {
        if (!/^alias\./.test(key) || value.value.startsWith("!"))
          runs(value.value.replace(/^!/, ""), `git config ${key}`);
      }
      return;
    }
    if (sub.value === "rebase") {
      rest.forEach((a, k) => {
        if ((a.value === "-x" || a.value === "--exec") && rest[k + 1])
          runs((rest[k + 1] as Arg).value, "git rebase --exec");
        else if (a.value.startsWith("--exec=")) runs(a.value.slice(7), "git rebase --exec");
      });
    } else if (sub.value === "submodule" && rest.some((a) => a.value === "foreach")) {
      const at = rest.findIndex((a) => a.value === "foreach");
      const cmd = rest
        .slice(at + 1)
        .filter((a) => a.value !== "--recursive" && a.value !== "-q" && a.value !== "--quiet");
      if (cmd.length) runs(cmd.map((a) => a.value).join(" "), "git submodule foreach");
    } else if (sub.value === "bisect" && rest[0]?.value === "run" && rest.length > 1) {
      this.emit(
        { ...inv, argv: rest.slice(1), via: [...inv.via, "git bisect run"] },
        { ...st, via: [...st.via, "git bisect run"] },
      );
    }
  }

  // ---- pipelines ----------------------------------------------------------------------------

  private pipelineChecks(stages: Invocation[], span: Span): void {
    const names = stages.map((s) => s.name);
    const shellIdx = names.findIndex((n) => isShell(n) || interpreterLang(n) !== undefined);
    const netIdx = names.findIndex((n) => NETWORK.has(n));
    if (shellIdx >= 0 && netIdx >= 0 && (stages[shellIdx]?.argv ?? []).every((a) => a.value !== "-c"))
      this.signal("remote-script-to-shell", "a shell is connected to the network (reverse shell)", span);
  }
}

/**
 * Skips the options at the front of `args` (from `start`): options in `valued` take the next word; with
 * `dashDash`, a `--` ends the options and is skipped. Returns the index of the first operand.
 */
function skipOptions(
  args: readonly Arg[],
  start: number,
  valued: ReadonlySet<string>,
  dashDash = true,
): number {
  let i = start;
  for (; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (dashDash && v === "--") return i + 1;
    if (!v.startsWith("-")) break;
    // A cluster whose last letter takes a value (`screen -dmS name`, `ssh -tp 22`) takes the next word.
    if (valued.has(v) || (/^-[A-Za-z]{2,}$/.test(v) && valued.has(`-${v.slice(-1)}`))) i++;
  }
  return i;
}

/** Quotes a word back into shell text (for alias expansion). */
function shellWord(w: string): string {
  return /^[\w@%+=:,./~-]+$/.test(w) ? w : "'" + w.replace(/'/g, "'\\''") + "'";
}

/** The awk program: the first non-option argument, or -f FILE (unknown). */
function awkProgram(args: readonly Arg[]): Arg | undefined {
  const valued = new Set(["-F", "-v", "--assign", "--field-separator", "-W"]);
  for (let k = 0; k < args.length; k++) {
    const v = (args[k] as Arg).value;
    if (v === "-f" || v === "--file") return undefined;
    if (v === "-e" || v === "--source") return args[k + 1];
    if (valued.has(v)) {
      k++;
      continue;
    }
    if (v.startsWith("-") && v.length > 1) continue;
    return args[k];
  }
  return undefined;
}

/** The text a pipe carries when its source is `echo`/`printf` of literal words (or a heredoc cat). */
export function pipeText(from: Invocation): string | undefined {
  if (from.name === "echo" || from.name === "printf") {
    const args = from.argv.slice(1);
    if (args.some((a) => a.dynamic)) return undefined;
    let words = args.map((a) => a.value);
    if (from.name === "echo") {
      let escapes = false;
      while (words[0] && /^-[neE]+$/.test(words[0])) {
        if (words[0].includes("e")) escapes = true;
        words = words.slice(1);
      }
      const text = words.join(" ");
      return (escapes ? unescapeEcho(text) : text.replace(/\\n/g, "\n")) + "\n";
    }
    const [fmt = "", ...rest] = words;
    let k = 0;
    const out = unescapeEcho(fmt.replace(/%[sdb]/g, () => rest[k++] ?? ""));
    return out + (k < rest.length ? " " + rest.slice(k).join(" ") : "");
  }
  if (from.name === "cat" && from.argv.length === 1 && from.stdin?.kind === "text" && !from.stdin.dynamic)
    return from.stdin.text;
  // pwd, realpath ., readlink -f .: the working directory.
  const words = from.argv.slice(1).map((a) => a.value);
  if (
    from.cwd !== undefined &&
    ((from.name === "pwd" && words.every((w) => /^-[LP]$/.test(w))) ||
      (from.name === "realpath" && (words.length === 0 || (words.length === 1 && words[0] === "."))) ||
      (from.name === "readlink" && words.join(" ") === "-f ."))
  )
    return `${from.cwd}\n`;
  return undefined;
}

/** What xargs reads as items: whole lines with -I, blank-separated words otherwise. */
function xargsItems(text: string, lines: boolean): string[] {
  return lines ? text.split("\n").filter((l) => l.trim()) : splitWords(text);
}

function splitWords(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** All the invocations upstream of a pipe (the direct source and what feeds it). */
function pipeSources(from: Invocation): Invocation[] {
  const out: Invocation[] = [];
  let cur: Invocation | undefined = from;
  for (let n = 0; cur && n < 32; n++) {
    out.push(cur);
    cur = cur.stdin?.kind === "pipe" ? cur.stdin.from : undefined;
  }
  return out;
}

/**
 * For `find DIR ... | xargs`, `ls DIR | xargs`: the directory every produced path stays under, and whether
 * the listing is everything in it (no filter), which deletes as much as deleting the directory itself.
 */
function listingRoot(
  from: Invocation,
  home: string,
): { dir: string; whole: boolean; deep: boolean } | undefined {
  const args = from.argv.slice(1);
  // git ls-files with no pathspec: every tracked (or, with -o, untracked) file of the work tree, at any depth.
  if (from.name === "git" && from.cwd) {
    const words = args.map((a) => a.value);
    const sub = words.findIndex((w) => !w.startsWith("-"));
    if (words[sub] === "ls-files") {
      const pathspec = args.slice(sub + 1).some((a) => !a.value.startsWith("-") || a.dynamic);
      return { dir: from.cwd, whole: !pathspec, deep: true };
    }
  }
  if (from.name === "find" || from.name === "ls") {
    const first = args.find((a) => !a.value.startsWith("-"));
    if (first?.dynamic) return undefined;
    const dir = resolvePath(from.cwd, first?.value ?? ".", home);
    if (dir === undefined) return undefined;
    const filtered =
      from.name === "find"
        ? args.some((a) =>
            /^-(i?name|i?path|i?regex|newer|mtime|mmin|size|empty|user|perm|i?wholename)$/.test(a.value),
          )
        : args.some((a) => a.glob || /[*?]/.test(a.value)) ||
          (first !== undefined &&
            !first.value.endsWith("/") &&
            args.filter((a) => !a.value.startsWith("-")).length > 1);
    const deep =
      from.name === "find" || args.some((a) => /^-[a-zA-Z]*R/.test(a.value) || a.value === "--recursive");
    return { dir, whole: !filtered, deep };
  }
  if (from.name === "fd" || from.name === "grep" || from.name === "rg" || from.name === "git")
    return from.cwd ? { dir: from.cwd, whole: false, deep: true } : undefined;
  return undefined;
}

export function resolveCommand(text: string, ctx: Context): Resolution {
  const r = new Resolver(ctx);
  if (text.length > LIMITS.maxInput) {
    r.signal("too-large", `the command is larger than ${LIMITS.maxInput} bytes`, [0, 0]);
    return { invocations: [], signals: r.signals };
  }
  const st: State = {
    cwd: ctx.cwd,
    vars: new Map(),
    exported: new Map(),
    via: [],
    depth: 0,
    spanOverride: undefined,
    remote: false,
    home: ctx.home,
  };
  try {
    r.unsupported(text, st);
    r.script(parse(text), st);
    r.secretPrints();
  } catch (e) {
    const msg =
      e instanceof RangeError
        ? "the command is nested too deeply to judge"
        : "the command could not be analysed";
    r.signal("parse-error", msg, [0, text.length]);
  }
  return { invocations: r.invocations, signals: r.signals };
}

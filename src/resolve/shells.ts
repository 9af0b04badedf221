// Shells and interpreters: where a command line carries more code to run.
import type { Arg } from "../core/types.ts";

const SHELLS = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "mksh",
  "ash",
  "yash",
  "posh",
  "fish",
  "rbash",
  "tcsh",
  "csh",
  "ksh93",
  "oksh",
  "loksh",
  "pdksh",
  "busybox-sh",
  "elvish",
  "nu",
  "xonsh",
  "ion",
  "oil",
  "osh",
  "ysh",
]);

export function isShell(name: string): boolean {
  return SHELLS.has(name);
}

export interface ShellCall {
  /** The `-c` text, when given. */
  readonly command?: Arg;
  /** Positional parameters after the `-c` text ($0, $1, ...). */
  readonly params: readonly Arg[];
  /** A script file to run, when no `-c`. */
  readonly script?: Arg;
  /** True when the shell reads its program from stdin. */
  readonly readsStdin: boolean;
  readonly interactive: boolean;
  /** `-n` (or `-o noexec`): the shell only checks syntax and runs nothing. */
  readonly noexec?: boolean;
}

const SHELL_VALUED = new Set(["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]);

export function parseShellArgs(args: readonly Arg[]): ShellCall {
  let hasC = false;
  let interactive = false;
  let readsStdinFlag = false;
  let noexec = false;
  let i = 0;
  for (; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (v === "--" || v === "-") {
      i++;
      break;
    }
    if (v === "-o" && args[i + 1]?.value === "noexec") noexec = true;
    if (SHELL_VALUED.has(v)) {
      i++;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(v)) {
      if (v.startsWith("-") && v.includes("c")) hasC = true;
      if (v.startsWith("-") && v.includes("i")) interactive = true;
      if (v.startsWith("-") && v.includes("s")) readsStdinFlag = true;
      if (v.startsWith("-") && v.includes("n")) noexec = true;
      continue;
    }
    if (v.startsWith("--")) continue;
    break;
  }
  const rest = args.slice(i);
  // -n reads the script and checks its syntax, and runs nothing.
  if (noexec && !interactive) return { params: [], readsStdin: false, interactive: false, noexec: true };
  if (hasC) return { command: rest[0], params: rest.slice(1), readsStdin: false, interactive };
  if (readsStdinFlag || rest.length === 0) return { params: rest, readsStdin: true, interactive };
  return { script: rest[0], params: rest.slice(1), readsStdin: false, interactive };
}

export type Lang = "python" | "node" | "perl" | "ruby" | "php" | "lua" | "r" | "osascript" | "powershell";

export function interpreterLang(name: string): Lang | undefined {
  if (/^python(\d+(\.\d+)?)?$/.test(name) || name === "pypy" || name === "pypy3" || name === "ipython")
    return "python";
  if (["node", "nodejs", "bun", "deno", "tsx", "ts-node", "esno", "esrun"].includes(name)) return "node";
  if (name === "perl") return "perl";
  if (name === "ruby" || name === "irb") return "ruby";
  if (name === "php") return "php";
  if (name === "lua" || name === "luajit") return "lua";
  if (name === "Rscript") return "r";
  if (name === "osascript") return "osascript";
  if (name === "pwsh" || name === "powershell") return "powershell";
  return undefined;
}

const CODE_FLAGS: Record<Lang, readonly string[]> = {
  python: ["-c"],
  node: ["-e", "--eval", "-p", "--print", "eval"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  php: ["-r"],
  lua: ["-e"],
  r: ["-e"],
  osascript: ["-e"],
  powershell: ["-c", "-Command", "-command", "-EncodedCommand", "-e", "-enc"],
};

/** The option that gives `lang`'s interpreter its code as an argument (`python -c`, `node -e`). */
export function codeFlag(lang: Lang): string {
  return CODE_FLAGS[lang][0] as string;
}

/** The interpreter a `#!` line names (`#!/usr/bin/python3`, `#!/usr/bin/env -S node --flag`), if guard reads its code. */
export function shebangLang(text: string): Lang | undefined {
  const words = /^#!\s*([^\n]*)/.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  let prog = (words[0] ?? "").split("/").pop() ?? "";
  if (prog === "env") prog = words.slice(1).find((w) => !w.startsWith("-")) ?? "";
  return interpreterLang(prog);
}

const INTERP_VALUED: Record<Lang, readonly string[]> = {
  python: ["-W", "-X", "-m", "-Q"],
  node: ["-r", "--require", "--import", "--loader", "--input-type", "--env-file"],
  perl: ["-I", "-M", "-m"],
  ruby: ["-I", "-r", "-C", "-E"],
  php: ["-d", "-c", "-z"],
  lua: ["-l"],
  r: [],
  osascript: ["-l"],
  powershell: ["-ExecutionPolicy", "-File", "-f"],
};

export interface InterpreterCall {
  readonly code?: Arg;
  /** `python -m module`: the module run. */
  readonly module?: string;
  readonly script?: Arg;
  readonly readsStdin: boolean;
  /** Arguments after the code or script. */
  readonly rest: readonly Arg[];
}

export function parseInterpreterArgs(lang: Lang, args: readonly Arg[]): InterpreterCall {
  const codeFlags = CODE_FLAGS[lang];
  const valued = INTERP_VALUED[lang];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.value;
    if (v === "-") return { readsStdin: true, rest: args.slice(i + 1) };
    if (codeFlags.includes(v)) return { code: args[i + 1], readsStdin: false, rest: args.slice(i + 2) };
    // Attached code: perl -e'...', python -c'...', perl -we '...' clusters.
    if (lang !== "node" && lang !== "powershell" && /^-[A-Za-z]/.test(v) && !v.startsWith("--")) {
      const letters = codeFlags.filter((f) => f.length === 2).map((f) => f.slice(1));
      const at = [...v.slice(1)].findIndex((c) => letters.includes(c)) + 1;
      const prefix = v.slice(1, at);
      const valuedLetters = valued.filter((f) => f.length === 2).map((f) => f.slice(1));
      if (at > 0 && /^[A-Za-z]*$/.test(prefix) && ![...prefix].some((c) => valuedLetters.includes(c))) {
        const attached = v.slice(at + 1);
        if (attached) return { code: { ...a, value: attached }, readsStdin: false, rest: args.slice(i + 1) };
        return { code: args[i + 1], readsStdin: false, rest: args.slice(i + 2) };
      }
    }
    if (lang === "python" && v === "-m")
      return { module: args[i + 1]?.value ?? "", readsStdin: false, rest: args.slice(i + 2) };
    if (valued.includes(v)) {
      i++;
      continue;
    }
    if (v.startsWith("-")) continue;
    return { script: a, readsStdin: false, rest: args.slice(i + 1) };
  }
  return { readsStdin: true, rest: [] };
}

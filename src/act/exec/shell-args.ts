// Reads the arguments of `guard shell`, which stands in for $SHELL: `-c CMD [NAME [ARGS...]]` (in any flag
// cluster: -lc, -ic, -ec, -c -l), a script on stdin, or a script file. Options that change how a command
// runs (-e, -u, -x, -o pipefail) are passed to the real shell; -l and -i are accepted and dropped, since
// profile and rc files would run commands nobody judged.
export type ShellCall =
  | {
      readonly kind: "command";
      readonly command: string;
      readonly options: readonly string[];
      readonly operands: readonly string[];
    }
  | { readonly kind: "stdin"; readonly options: readonly string[]; readonly operands: readonly string[] }
  | {
      readonly kind: "file";
      readonly path: string;
      readonly options: readonly string[];
      readonly operands: readonly string[];
    }
  | { readonly kind: "version" }
  | { readonly kind: "error"; readonly message: string };

const PASSED = "abefhkmnptuvxBCEHPT";
const DROPPED = "il";
const LONG_PASSED = new Set(["--posix", "--restricted", "--verbose", "--noediting"]);
const LONG_DROPPED = new Set(["--login", "--noprofile", "--norc", "--interactive"]);
const LONG_DROPPED_VALUED = new Set(["--rcfile", "--init-file"]);

export function parseShellArgs(argv: readonly string[]): ShellCall {
  const options: string[] = [];
  let command = false;
  let stdin = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--" || a === "-") {
      i++;
      break;
    }
    if (a === "--version") return { kind: "version" };
    if (a.startsWith("--")) {
      if (LONG_PASSED.has(a)) options.push(a);
      else if (LONG_DROPPED_VALUED.has(a)) i++;
      else if (!LONG_DROPPED.has(a)) return { kind: "error", message: `unknown option ${a}` };
      continue;
    }
    if (!/^[-+]./.test(a)) break;
    const sign = a[0] as string;
    for (const f of a.slice(1)) {
      if (f === "c" && sign === "-") command = true;
      else if (f === "s" && sign === "-") stdin = true;
      else if (f === "o" || f === "O") {
        const name = argv[++i];
        if (name === undefined) return { kind: "error", message: `${sign}${f} needs an option name` };
        options.push(`${sign}${f}`, name);
      } else if (PASSED.includes(f)) options.push(`${sign}${f}`);
      else if (!DROPPED.includes(f)) return { kind: "error", message: `unknown option ${sign}${f}` };
    }
  }
  const operands = argv.slice(i);
  if (command) {
    const [text, ...rest] = operands;
    if (text === undefined) return { kind: "error", message: "-c needs a command string" };
    return { kind: "command", command: text, options, operands: rest };
  }
  if (stdin || operands.length === 0) return { kind: "stdin", options, operands };
  return { kind: "file", path: operands[0] as string, options, operands: operands.slice(1) };
}

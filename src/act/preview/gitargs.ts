// Reads a git invocation: the directory it acts on (-C), its subcommand and the subcommand's words.
import type { Invocation } from "../../core/types.ts";
import { resolvePath } from "../../resolve/paths.ts";

export interface GitCall {
  readonly cwd: string;
  readonly sub: string;
  readonly args: readonly string[];
}

export function parseGit(inv: Invocation, home: string): GitCall | undefined {
  if (inv.name !== "git" || inv.remote || inv.cwd === undefined) return undefined;
  const words = inv.argv.slice(1);
  if (words.some((a) => a.dynamic)) return undefined;
  let cwd: string | undefined = inv.cwd;
  let i = 0;
  for (; i < words.length; i++) {
    const v = (words[i] as { value: string }).value;
    if (v === "-C") {
      cwd = resolvePath(cwd, words[++i]?.value ?? "", home);
      if (cwd === undefined) return undefined;
    } else if (v === "-c" || v === "--git-dir" || v === "--work-tree" || v === "--namespace") i++;
    else if (!v.startsWith("-")) break;
  }
  const sub = words[i]?.value;
  if (!sub || cwd === undefined) return undefined;
  return { cwd, sub, args: words.slice(i + 1).map((a) => a.value) };
}

/** Single-letter flags of a cluster (`-fdx` -> f, d, x) and long flags, before `--`. */
export function hasFlag(args: readonly string[], short: string, ...long: string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (long.some((l) => a === l || a.startsWith(l + "="))) return true;
    if (short && /^-[A-Za-z]+$/.test(a) && a.includes(short)) return true;
  }
  return false;
}

/** Words that are not options (after `--`, everything), skipping the values of `valued` options. */
export function operands(
  args: readonly string[],
  valued: readonly string[] = [],
): { before: string[]; after: string[] | undefined } {
  const before: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") return { before, after: args.slice(i + 1) };
    if (valued.includes(a)) i++;
    else if (!a.startsWith("-") || a === "-") before.push(a);
  }
  return { before, after: undefined };
}

// Turns parser words into argument values: quote removal, known variables, tilde, and brace lists.
import type { Word, WordPart, DoubleQuotedChild } from "unbash";
import type { Arg, Span } from "../core/types.ts";

/** Variables whose values guard knows while resolving one line. */
export type Vars = ReadonlyMap<string, string>;

export interface WordEnv {
  readonly vars: Vars;
  readonly home: string;
  readonly cwd: string | undefined;
  /** The project root, for $(git rev-parse --show-toplevel). */
  readonly project?: string;
  /** When the word comes from re-parsed text, every span maps to the span of the outer word. */
  readonly spanOverride: Span | undefined;
  /** Offset added to positions (for spans of nested scripts parsed in place). */
  readonly offset: number;
}

interface Acc {
  value: string;
  dynamic: boolean;
  glob: boolean;
  /** An unquoted expansion whose known value has blanks: the shell splits it into several words. */
  split: boolean;
}

function lookup(name: string, env: WordEnv): string | undefined {
  const known = env.vars.get(name);
  if (known !== undefined) return known;
  if (name === "HOME") return env.home;
  // The temp directory: wherever it is, it is one (deleting in it is a clean-up).
  if (name === "TMPDIR") return "/tmp";
  if (name === "PWD" && env.cwd) return env.cwd;
  return undefined;
}

function addExpansion(acc: Acc, name: string, text: string, env: WordEnv, quoted: boolean): void {
  const v = lookup(name, env);
  if (v === undefined) {
    acc.value += text;
    acc.dynamic = true;
  } else {
    acc.value += v;
    // With IFS changed in the line, how the shell splits an unquoted expansion is not worth guessing.
    if (!quoted && env.vars.has("IFS")) acc.dynamic = true;
    else if (!quoted && /\s/.test(v)) acc.split = true;
  }
}

function addParts(acc: Acc, parts: readonly (WordPart | DoubleQuotedChild)[], env: WordEnv, quoted: boolean) {
  for (const part of parts) {
    switch (part.type) {
      case "Literal":
        acc.value += part.value;
        break;
      case "SingleQuoted":
      case "AnsiCQuoted":
        acc.value += part.value;
        break;
      case "DoubleQuoted":
      case "LocaleString":
        addParts(acc, part.parts, env, true);
        break;
      case "SimpleExpansion":
        addExpansion(acc, part.text.slice(1), part.text, env, quoted);
        break;
      case "ParameterExpansion":
        if (!part.operation && !part.index && !part.prefix)
          addExpansion(acc, part.parameter, part.text, env, quoted);
        else if (
          part.operation?.type === "Default" &&
          !part.index &&
          !part.prefix &&
          /^:?[-=?]$/.test((part.operation as { operator?: string }).operator ?? "") &&
          lookup(part.parameter, env)
        ) {
          // ${HOME:?}, ${HOME:-/}: a variable that is set expands to its value.
          addExpansion(acc, part.parameter, part.text, env, quoted);
        } else if (part.operation?.type === "Default" && lookup(part.parameter, env) === undefined) {
          // ${X:-fallback}: the fallback is what runs when X is unset, which is the worst case to judge.
          const inner = wordValue(part.operation.operand, env);
          acc.value += inner.value;
          acc.dynamic = true;
        } else {
          acc.value += part.text;
          acc.dynamic = true;
        }
        break;
      case "Glob":
      case "ExtendedGlob":
        acc.value += part.text;
        if (!quoted) acc.glob = true;
        break;
      case "BraceExpansion":
        acc.value += part.text;
        acc.glob = true;
        break;
      case "CommandExpansion": {
        // $(pwd) and $(git rev-parse --show-toplevel) are known: the working directory and the project.
        const known = knownSubstitution(part.text, env);
        if (known !== undefined) {
          acc.value += known;
          break;
        }
        acc.value += part.text;
        acc.dynamic = true;
        break;
      }
      default:
        // Arithmetic and process substitutions: only known when the line runs.
        acc.value += part.text;
        acc.dynamic = true;
    }
  }
}

/** The words of simple shell text: quoted, bare, and $VAR / ${VAR} of known value; undefined otherwise. */
function simpleWords(text: string, env: WordEnv): string[] | undefined {
  const words: string[] = [];
  const token = /\s*(?:'([^']*)'|"((?:[^"\\`$]|\$\{?\w+\}?)*)"|(\$\{?\w+\}?)|([^\s'"\\`$;|&<>(){}*?[\]]+))/y;
  const vars = (t: string): string | undefined => {
    let ok = true;
    const out = t.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
      const v = lookup(name, env);
      if (v === undefined) ok = false;
      return v ?? "";
    });
    return ok ? out : undefined;
  };
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m) return text.slice(at).trim() ? undefined : words;
    at = token.lastIndex;
    const w = m[1] ?? (m[2] !== undefined ? vars(m[2]) : m[3] !== undefined ? vars(m[3]) : m[4]);
    if (w === undefined) return undefined;
    words.push(w);
  }
  return words;
}

/** The backslash escapes printf's format and `echo -e` expand: \\xHH, \\NNN (octal), \\n, \\t, \\\\. */
export function unescapeEcho(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|0?[0-7]{1,3}|[ntr\\abfv])/g, (_, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return { n: "\n", t: "\t", r: "\r", "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v" }[e] ?? e;
  });
}

/** What `printf FORMAT ARG...` prints, for a format of text, %s, %% and backslash escapes only, one argument per %s. */
function printfOf(text: string, env: WordEnv): string | undefined {
  const words = simpleWords(text, env);
  if (!words || words.length === 0) return undefined;
  const [format, ...args] = words as [string, ...string[]];
  if (/%[^s%]|\\(?!x[0-9a-fA-F]|[0-7]|[ntr\\abfv])/.test(format)) return undefined;
  if ((format.match(/%s/g) ?? []).length !== args.length) return undefined;
  let i = 0;
  return unescapeEcho(format.replace(/%s|%%/g, (d) => (d === "%%" ? "%" : (args[i++] as string)))).replace(
    /\n+$/,
    "",
  );
}

function knownSubstitution(text: string, env: WordEnv): string | undefined {
  const inner = text
    .replace(/^\$\(|\)$/g, "")
    .replace(/^`|`$/g, "")
    .trim();
  if (/^pwd(\s+-[LP])?$/.test(inner)) return env.cwd;
  if (/^mktemp(\s|$)/.test(inner)) return mktempPath(inner.split(/\s+/).slice(1), env.cwd);
  // $(echo /), `echo ~`, $(printf 'text'): a literal printed back.
  const printed = /^(echo|printf)\s+(?:'([^']*)'|"([^"$`\\]*)"|([^\s'"$`\\;|&<>(){}*?[\]]+))$/.exec(inner);
  if (printed) {
    const word = printed[2] ?? printed[3] ?? printed[4] ?? "";
    if (printed[4] !== undefined && word.startsWith("~"))
      return expandTilde(word, word, env.home, env.cwd).value;
    // printf's escapes and % directives are worked out below; echo's (in some shells) are not.
    if (!/[%\\]/.test(word)) return word;
    if (printed[1] === "echo") return undefined;
  }
  const formatted = /^printf\s+(.+)$/.exec(inner);
  if (formatted) return printfOf(formatted[1] as string, env);
  if (/^(realpath|readlink\s+-f)(\s+\.)?$/.test(inner)) return env.cwd;
  // $(command -v rm), $(which rm): where that program is (its name is what matters).
  const where = /^(?:command\s+-v|which|type\s+-[pP])\s+([\w.+-]+)$/.exec(inner);
  // (guard's and the agents' own programs stay unresolved: where they live is what self-protection checks)
  if (where && !/^(guard|guard-shell|claude|codex)$/.test(where[1] as string)) return `/usr/bin/${where[1]}`;
  if (
    /^git\s+rev-parse\s+--show-toplevel$/.test(inner) &&
    env.project &&
    env.cwd &&
    env.cwd.startsWith(env.project)
  )
    return env.project;
  return undefined;
}

/**
 * What `$(mktemp ...)` names: a file or directory it has just created, in the temp directory (no template,
 * -t, --tmpdir), in the directory of -p/--tmpdir=DIR, or at its template (relative to the working
 * directory). The template's X's stand for the random part. Undefined when the arguments are not plain.
 */
function mktempPath(args: readonly string[], cwd: string | undefined): string | undefined {
  let dir: string | undefined;
  let inTmp = false;
  let template: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!/^[\w./+,=:@%-]+$/.test(a)) return undefined;
    if (a === "-p" || a === "--tmpdir") {
      const next = args[i + 1];
      if (a === "-p" || (next !== undefined && next.startsWith("/"))) dir = args[++i];
      else inTmp = true;
    } else if (a.startsWith("--tmpdir=")) dir = a.slice("--tmpdir=".length);
    else if (a.startsWith("-p") && a.length > 2 && !a.startsWith("--")) dir = a.slice(2);
    else if (a === "-t") inTmp = true;
    else if (
      a.startsWith("--suffix=") ||
      /^-[dqu]+$/.test(a) ||
      a === "--directory" ||
      a === "--quiet" ||
      a === "--dry-run"
    )
      continue;
    else if (a.startsWith("-")) return undefined;
    else if (template === undefined) template = a;
    else return undefined;
  }
  if (dir !== undefined && !/^[\w./+,=:@%-]+$/.test(dir)) return undefined;
  const name = template ?? "tmp.XXXXXXXXXX";
  if (dir === undefined && (inTmp || template === undefined)) dir = "/tmp";
  if (name.startsWith("/")) return dir === undefined ? name : undefined;
  const root = dir === undefined ? cwd : dir.startsWith("/") ? dir : cwd && `${cwd}/${dir}`;
  return root === undefined ? undefined : `${root.replace(/\/+$/, "")}/${name}`;
}

function expandTilde(
  value: string,
  text: string,
  home: string,
  cwd: string | undefined,
): { value: string; dynamic: boolean } {
  if (!text.startsWith("~")) return { value, dynamic: false };
  const m = /^~([^/]*)(\/.*)?$/.exec(value);
  if (!m) return { value, dynamic: false };
  const [, user = "", rest = ""] = m;
  if (user === "") return { value: home + rest, dynamic: false };
  if (user === "+") return cwd ? { value: cwd + rest, dynamic: false } : { value, dynamic: true };
  if (user === "-") return { value, dynamic: true }; // $OLDPWD
  const homeUser = home.replace(/\/+$/, "").split("/").pop();
  if (user === homeUser) return { value: home + rest, dynamic: false };
  if (user === "root") return { value: "/root" + rest, dynamic: false };
  if (/^[a-z_][a-z0-9_-]*$/i.test(user)) return { value: "/home/" + user + rest, dynamic: false };
  return { value, dynamic: false };
}

export function spanOf(node: { pos: number; end: number }, env: WordEnv): Span {
  return env.spanOverride ?? [node.pos + env.offset, node.end + env.offset];
}

export function wordValue(word: Word, env: WordEnv): Arg {
  const span = spanOf(word, env);
  if (!word.parts) {
    const t = expandTilde(word.value, word.text, env.home, env.cwd);
    return { value: t.value, text: word.text, dynamic: t.dynamic, glob: false, span };
  }
  const acc: Acc = { value: "", dynamic: false, glob: false, split: false };
  addParts(acc, word.parts, env, false);
  const first = word.parts[0];
  const t =
    first && first.type === "Literal"
      ? expandTilde(acc.value, word.text, env.home, env.cwd)
      : { value: acc.value, dynamic: false };
  return {
    value: t.value,
    text: word.text,
    dynamic: acc.dynamic || t.dynamic,
    glob: acc.glob,
    span,
    ...(acc.split ? { split: true } : {}),
  };
}

/** Expands one simple `{a,b}` list so `rm -rf /{etc,usr}` is judged as `/etc` and `/usr`. */
export function expandBraces(arg: Arg): Arg[] {
  if (!arg.glob || !arg.value.includes("{")) return [arg];
  const values = braceValues(arg.value, 64);
  if (values.length === 1 && values[0] === arg.value) return [arg];
  return values.map((value) => ({
    ...arg,
    value,
    glob: /[*?[]/.test(value) || /\{[^}]*(,|\.\.)[^}]*\}/.test(value),
  }));
}

/**
 * Brace expansion as bash does it: `{a,b}` (nested too: `{{r,}m,}`), and sequences `{1..3}`, `{a..e}`
 * (`r{m..m}` is `rm`). At most `max` words.
 */
function braceValues(word: string, max: number): string[] {
  // The first `{` whose matching `}` encloses a top-level comma or a sequence.
  for (let open = word.indexOf("{"); open >= 0; open = word.indexOf("{", open + 1)) {
    let depth = 0;
    const commas: number[] = [];
    let close = -1;
    for (let i = open; i < word.length; i++) {
      const c = word[i];
      if (c === "\\") i++;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        close = i;
        break;
      } else if (c === "," && depth === 1) commas.push(i);
    }
    if (close < 0) return [word];
    const pre = word.slice(0, open);
    const post = word.slice(close + 1);
    const body = word.slice(open + 1, close);
    let items: string[] | undefined;
    if (commas.length) {
      items = [];
      let from = open + 1;
      for (const c of [...commas, close]) {
        items.push(word.slice(from, c));
        from = c + 1;
      }
    } else {
      const seq = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
      if (seq) {
        const [a, b] = [seq[1] as string, seq[2] as string];
        const step = Math.max(1, Math.abs(Number(seq[3] ?? 1)));
        const num = /\d/.test(a) && /\d/.test(b);
        const [x, y] = num ? [Number(a), Number(b)] : [a.charCodeAt(0), b.charCodeAt(0)];
        items = [];
        for (let v = x; x <= y ? v <= y : v >= y; v += x <= y ? step : -step) {
          items.push(num ? String(v) : String.fromCharCode(v));
          if (items.length >= max) break;
        }
      }
    }
    if (!items) continue;
    const out: string[] = [];
    for (const item of items) {
      for (const v of braceValues(pre + item + post, max - out.length)) {
        out.push(v);
        if (out.length >= max) return out;
      }
    }
    return out;
  }
  return [word];
}

/** Word splitting of an unquoted expansion: `CMD="rm -rf /"; $CMD` runs three words. */
export function splitWords(arg: Arg): Arg[] {
  if (!arg.split) return [arg];
  return arg.value
    .split(/\s+/)
    .filter(Boolean)
    .map((value) => ({ ...arg, value, split: false, glob: arg.glob || /[*?[]/.test(value) }));
}

/** A literal argument made by guard itself (for synthetic invocations from interpreter code). */
export function literalArg(value: string, span: Span): Arg {
  return { value, text: value, dynamic: false, glob: false, span };
}

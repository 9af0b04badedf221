// Globs for words (not paths): `*` matches any run of characters, `/` included.
import picomatch from "picomatch";

const wordCache = new Map<string, RegExp>();
const pathCache = new Map<string, (s: string) => boolean>();

function escape(c: string): string {
  return /[\\^$.|+()[\]{}*?]/.test(c) ? "\\" + c : c;
}

export function wordGlob(pattern: string): RegExp {
  let re = wordCache.get(pattern);
  if (re) return re;
  let src = "";
  let brace = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") src += "[\\s\\S]*";
    else if (c === "?") src += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 1);
      if (close < 0) src += "\\[";
      else {
        src +=
          "[" +
          pattern
            .slice(i + 1, close)
            .replace(/^!/, "^")
            .replace(/\\/g, "\\\\") +
          "]";
        i = close;
      }
    } else if (c === "{") {
      brace++;
      src += "(?:";
    } else if (c === "}" && brace > 0) {
      brace--;
      src += ")";
    } else if (c === "," && brace > 0) src += "|";
    else if (c === "\\" && i + 1 < pattern.length) src += escape(pattern[++i] as string);
    else src += escape(c);
  }
  if (brace > 0) throw new Error("unclosed {");
  re = new RegExp("^(?:" + src + ")$");
  wordCache.set(pattern, re);
  return re;
}

export function matchWord(pattern: string, value: string): boolean {
  return wordGlob(pattern).test(value);
}

declare const __GUARD_PATH_GLOBS__: string | undefined;

const PATH_OPTIONS = { dot: true, nocase: false } as const;
let prebuilt: Record<string, string> | undefined;

/** The regular expressions picomatch makes of these path globs: the build stores them for the rules' globs. */
export function pathGlobSources(patterns: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of patterns) out[p] = picomatch.makeRe(p, PATH_OPTIONS).source;
  return out;
}

/**
 * What picomatch makes of a glob whose only magic is `*` inside a segment, between other characters
 * (`settings*.json`): `[^/]*?`. Such globs come from the user's home at run time, so the build cannot
 * store them; this spares the hook picomatch's first, cold compile.
 */
function simplePathRe(pattern: string): RegExp | undefined {
  if (/[?[\]{}()!+@\\]/.test(pattern) || pattern.includes("**") || /(^|\/)\*|\*$/.test(pattern))
    return undefined;
  const src = pattern
    .split("*")
    .map((part) => part.replace(/[\\^$.|+()[\]{}*?/]/g, "\\$&"))
    .join("[^/]*?");
  return new RegExp(`^(?:${src})$`);
}

function pathRe(pattern: string): RegExp | undefined {
  if (typeof __GUARD_PATH_GLOBS__ !== "undefined") {
    prebuilt ??= JSON.parse(__GUARD_PATH_GLOBS__) as Record<string, string>;
    const src = Object.hasOwn(prebuilt, pattern) ? prebuilt[pattern] : undefined;
    if (src !== undefined) return new RegExp(src);
  }
  return simplePathRe(pattern);
}

/** Path globs (picomatch): `*` stays inside one segment, `**` crosses them; dotfiles match. */
export function matchPath(pattern: string, path: string): boolean {
  let m = pathCache.get(pattern);
  if (!m) {
    const re = pathRe(pattern);
    // Exactly picomatch's test: the glob itself, or its regular expression.
    m = re ? (s: string) => s === pattern || re.test(s) : picomatch(pattern, PATH_OPTIONS);
    pathCache.set(pattern, m);
  }
  return m(path);
}

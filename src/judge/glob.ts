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

/** Path globs (picomatch): `*` stays inside one segment, `**` crosses them; dotfiles match. */
export function matchPath(pattern: string, path: string): boolean {
  let m = pathCache.get(pattern);
  if (!m) {
    m = picomatch(pattern, { dot: true, nocase: false });
    pathCache.set(pattern, m);
  }
  return m(path);
}

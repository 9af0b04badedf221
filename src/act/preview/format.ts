// Numbers and text as a human reads them in a prompt.

export function count(n: number, one: string, many = one + "s"): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

export function bytes(n: number): string {
  if (n < 1024) return count(n, "byte");
  const units = ["KB", "MB", "GB", "TB", "PB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Control characters and bidirectional overrides made visible, so text cannot disguise itself on a terminal. */
export function visible(text: string): string {
  return text.replace(HIDDEN, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x1b) return "\\e";
    if (code === 0x0d) return "\\r";
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

export function clip(text: string, max: number): string {
  const one = visible(text.replace(/\s*\n\s*/g, " ⏎ "));
  return one.length > max ? one.slice(0, max - 1) + "…" : one;
}

/** Hides the password of a connection URI (scheme://user:password@host). */
export function redactUri(text: string): string {
  return text.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, "$1***@");
}

// POSIX single-quote quoting, for turning argv and paths back into command text.
export function shellQuote(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_./:@%+,=-]+$/.test(word)) return word;
  return "'" + word.replace(/'/g, "'\\''") + "'";
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

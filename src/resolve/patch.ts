// The files an apply_patch text (Codex's patch format) adds, updates, deletes or moves to.

/** Trims as Codex's parser does (Rust's Unicode white space, which includes U+0085 and U+00A0). */
function trimLikeCodex(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, "");
}

/** Paths an apply_patch text adds, updates, deletes or moves to. */
export function patchEffects(patch: string): { writes: string[]; deletes: string[] } {
  const writes: string[] = [];
  const deletes: string[] = [];
  for (const line of patch.split("\n")) {
    const m = /^\*\*\* (Add File|Update File|Delete File|Move to):(.+)$/.exec(trimLikeCodex(line));
    if (!m) continue;
    const path = trimLikeCodex(m[2] as string);
    if (!path) continue;
    if (m[1] === "Delete File") deletes.push(path);
    else writes.push(path);
  }
  return { writes, deletes };
}

// Where a file tool's path really leads: through symlinks made earlier (`ln -s ~ hm`, then Write
// hm/.claude/settings.json), the write lands on the link's target, so that is judged too.
import { realpathSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** The path with every existing symlink along it resolved, when that differs from the path itself. */
export function realTarget(path: string, cwd: string, home: string): string | undefined {
  const expanded = path === "~" ? home : path.startsWith("~/") ? join(home, path.slice(2)) : path;
  const abs = isAbsolute(expanded) ? resolve(expanded) : resolve(cwd, expanded);
  let dir = abs;
  const rest: string[] = [];
  // The deepest part of the path that exists; what follows it cannot be a link yet.
  for (let n = 0; n < 64; n++) {
    try {
      const real = realpathSync(dir);
      const full = rest.length ? join(real, ...rest.reverse()) : real;
      return full === abs ? undefined : full;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      rest.push(dir.slice(parent.length).replace(/^\//, ""));
      dir = parent;
    }
  }
  return undefined;
}

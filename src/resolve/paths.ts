// Pure path arithmetic on POSIX paths: no file system access.

export function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

/** Resolves `p` against `cwd`; undefined when `p` is relative and the cwd is unknown. */
export function resolvePath(cwd: string | undefined, p: string, home: string): string | undefined {
  let path = p;
  if (path === "~") path = home;
  else if (path.startsWith("~/")) path = home + path.slice(1);
  if (path.startsWith("/")) return normalize(path);
  if (cwd === undefined) return undefined;
  return normalize(cwd + "/" + path);
}

export function isUnder(path: string, dir: string): boolean {
  if (dir === "/") return true;
  return path === dir || path.startsWith(dir + "/");
}

export function isStrictlyUnder(path: string, dir: string): boolean {
  return path !== dir && isUnder(path, dir);
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const i = trimmed.lastIndexOf("/");
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}

export function dirname(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

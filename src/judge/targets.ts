// Classifies a path argument by what deleting or overwriting it would touch.
import type { Arg, Context, Invocation } from "../core/types.ts";
import { dirname, isStrictlyUnder, isUnder, normalize, resolvePath } from "../resolve/paths.ts";
import type { TargetClass } from "./rule.ts";
import { matchPath } from "./glob.ts";

const SYSTEM_DIRS = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/opt",
  "/proc",
  "/root",
  "/sbin",
  "/srv",
  "/sys",
  "/usr",
  "/var",
  "/snap",
  "/Applications",
  "/System",
  "/Library",
  "/private",
  "/home",
  "/Users",
  "/nix",
  "/efi",
  "/lost+found",
  "/run",
  "/mnt",
  "/media",
];
// The project's own code at its top level (not build output: lib/ and out/ often are, so they are not here).
const SOURCE_DIRS = new Set([
  "src",
  "app",
  "apps",
  "packages",
  "cmd",
  "internal",
  "pkg",
  "migrations",
  "test",
  "tests",
  "spec",
]);
const TMP_DIRS = ["/tmp", "/var/tmp", "/dev/shm", "/private/tmp", "/private/var/folders", "/var/folders"];
const HOME_CACHES = [
  // installed versions of toolchains, which the version manager reinstalls on demand
  ".nvm/versions",
  ".pyenv/versions",
  ".rbenv/versions",
  ".nodenv/versions",
  ".goenv/versions",
  ".rustup/toolchains",
  ".sdkman/candidates",
  ".asdf/installs",
  ".local/share/mise/installs",
  ".volta/tools",
  ".local/share/virtualenvs",
  ".virtualenvs",
  ".cache",
  ".npm",
  ".pnpm-store",
  ".yarn/cache",
  ".yarn/berry/cache",
  "Library/Caches",
  ".gradle/caches",
  ".m2/repository",
  ".cargo/registry",
  ".cargo/git",
  ".rustup/tmp",
  ".local/share/Trash",
  ".bun/install/cache",
  ".deno",
  ".node-gyp",
  ".nvm/.cache",
  ".pyenv/cache",
  ".cache-loader",
  "go/pkg/mod",
  ".terraform.d/plugin-cache",
  ".expo",
  ".turbo",
  ".nuget/packages",
  ".ivy2/cache",
  ".composer/cache",
  ".local/share/pnpm",
  ".bundle/cache",
  ".sbt/boot",
  ".electron",
  "Library/Developer/Xcode/DerivedData",
];
const HARMLESS_DEVICES = new Set([
  "/dev/null",
  "/dev/zero",
  "/dev/stdout",
  "/dev/stderr",
  "/dev/stdin",
  "/dev/tty",
  "/dev/random",
  "/dev/urandom",
  "/dev/full",
]);

const matchers = new WeakMap<readonly string[], ((path: string) => boolean)[]>();

/** True when `path` is one of the patterns (globs) or under one of them (directories). */
function within(path: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return false;
  let tests = matchers.get(patterns);
  if (!tests) {
    tests = patterns.map((p) =>
      /[*?[{]/.test(p) ? (x: string) => matchPath(p, x) : (x: string) => isUnder(x, p),
    );
    matchers.set(patterns, tests);
  }
  return tests.some((t) => t(path));
}

const rootsCache = new WeakMap<Context, { home: string; project: string }>();

function roots(ctx: Context): { home: string; project: string } {
  let r = rootsCache.get(ctx);
  if (!r) {
    r = { home: normalize(ctx.home), project: normalize(ctx.projectRoot) };
    rootsCache.set(ctx, r);
  }
  return r;
}

function homeClass(path: string, home: string): TargetClass {
  if (path === home) return "home";
  const rel = path.slice(home.length + 1);
  if (HOME_CACHES.some((c) => rel === c || rel.startsWith(c + "/"))) return "cache";
  if (rel.startsWith(".")) return "home-dotdir";
  // ~/Documents, ~/projects: a whole top-level folder of the user's.
  return rel.includes("/") ? "home-other" : "home-top";
}

const parentsCache = new WeakMap<readonly string[], Set<string>>();

/**
 * The directories that hold guard's protected files, below the home directory and the project
 * (`~/.claude`, `.claude`, `~/.codex`): removing or moving one of them removes the files.
 */
function guardParents(ctx: Context): Set<string> {
  const list = ctx.protectedPaths ?? [];
  let set = parentsCache.get(list);
  if (!set) {
    set = new Set();
    const stops = new Set(["/", ctx.home.replace(/\/+$/, ""), ctx.projectRoot.replace(/\/+$/, "")]);
    for (const p of list) {
      for (let d = dirname(p); !stops.has(d) && d !== dirname(d); d = dirname(d))
        // Only the agents' and guard's own directories: the self-protection rules are tried on lines
        // that name one of them, and ~/.config or ~/.local keep their home classes.
        if (
          (isUnder(d, ctx.home) || isUnder(d, ctx.projectRoot)) &&
          /claude|codex|guard/.test(d.slice(d.lastIndexOf("/")))
        )
          set.add(d);
    }
    parentsCache.set(list, set);
  }
  return set;
}

export function classifyPath(path: string, ctx: Context): TargetClass {
  if (ctx.decoys && within(path, ctx.decoys.paths)) return "decoy";
  if (within(path, ctx.secretPaths)) return "guard-secret";
  if (within(path, ctx.protectedPaths) || guardParents(ctx).has(path)) return "guard";
  const { home, project } = roots(ctx);
  if (path === "/") return "root";
  if (path === home) return "home";
  // A "project" at /, at a top-level system or temp directory, or above home is no project at all.
  const hasProject =
    project !== "/" &&
    !SYSTEM_DIRS.includes(project) &&
    !TMP_DIRS.includes(project) &&
    !isUnder(home, project);
  if (hasProject) {
    if (/(^|\/)\.git(\/|$)/.test(path) && isUnder(path, project)) return "git-dir";
    if (path === project) return "project-root";
    if (isStrictlyUnder(path, project)) {
      const rest = path.slice(project.length + 1);
      return SOURCE_DIRS.has(rest) ? "project-source" : "project";
    }
  }
  // A home inside a temp directory (CI jobs, containers, sandboxes) is still a home: judged before the
  // temp directories. A home that is a temp directory itself (HOME=/tmp) is not.
  const homeInTmp = TMP_DIRS.some((t) => isStrictlyUnder(home, t));
  if (homeInTmp && (path === home || isStrictlyUnder(path, home))) return homeClass(path, home);
  for (const t of TMP_DIRS) {
    if (path === t) return "tmp-root";
    if (isStrictlyUnder(path, t)) return "tmp";
  }
  if (path.startsWith("/dev/"))
    return HARMLESS_DEVICES.has(path) || path.startsWith("/dev/fd/") ? "tmp" : "device";
  if (path === home || isStrictlyUnder(path, home)) return homeClass(path, home);
  if (SYSTEM_DIRS.some((d) => isUnder(path, d))) return "system";
  return "outside";
}

/** A glob like `dir/*` touches everything in `dir`, so it is judged as `dir` itself. */
function globScope(value: string): { dir: string; whole: boolean } | undefined {
  const first = value.search(/[*?[{]/);
  if (first < 0) return undefined;
  const slash = value.lastIndexOf("/", first);
  const dir = slash < 0 ? "." : slash === 0 ? "/" : value.slice(0, slash);
  const rest = value.slice(slash + 1);
  const whole =
    /^(\*|\.\*|\{\*,\.\*\}|\{\.\*,\*\}|\*\/?|\.\[[!^]\.\]\*|\.\?\?\*|\*\*)(\/\*?)?$/.test(rest) ||
    rest === "*/*";
  return { dir, whole };
}

/**
 * The class of a target only known at run time. In a script on disk (`rm -rf "$tmpdir"`, a path after
 * `cd "$dir"`) it is the script's own business, like the rest of what cannot be resolved there (see
 * Resolver.signal).
 */
export function unknownTarget(inv: Invocation): TargetClass {
  return inv.fromFile ? "tmp" : "unknown";
}

export function classifyArg(arg: Arg, inv: Invocation, ctx: Context): TargetClass {
  const c = classifyKnown(arg, inv, ctx);
  return c === "unknown" ? unknownTarget(inv) : c;
}

function classifyKnown(arg: Arg, inv: Invocation, ctx: Context): TargetClass {
  if (inv.ephemeral) return "tmp";
  if (inv.remote) {
    // Paths on another machine: only absolute ones (or relative to a known remote cd) can be read.
    if (!arg.dynamic && !arg.value.startsWith("/") && !arg.value.startsWith("~") && inv.cwd !== undefined) {
      const p = resolvePath(inv.cwd, arg.value, ctx.home);
      if (p) return classifyPath(p, ctx);
    }
    if (arg.dynamic || !arg.value.startsWith("/")) {
      if (arg.value === "~" || arg.value.startsWith("~/")) return arg.value === "~" ? "home" : "home-dotdir";
      return "unknown";
    }
  }
  if (arg.dynamic) {
    const under = inv.dynamicArgsUnder;
    if (under !== undefined && arg.value === "{}") {
      const c = classifyPath(under, ctx);
      if (inv.dynamicArgsWhole) return c;
      if (c === "project-root" || c === "project" || c === "project-source" || c === "git-dir")
        return "project";
      if (c === "tmp-root" || c === "tmp") return "tmp";
      if (c === "cache") return "cache";
      return c === "root" || c === "home" ? "outside" : c;
    }
    return "unknown";
  }
  const value = arg.value;
  if (arg.glob || /[*?]/.test(value)) {
    const scope = globScope(value);
    if (scope) {
      const dir = resolvePath(inv.cwd, scope.dir, ctx.home);
      if (dir === undefined) return "unknown";
      return scope.whole ? classifyPath(dir, ctx) : classifyPath(dir === "/" ? "/x" : dir + "/x", ctx);
    }
  }
  const p = resolvePath(inv.cwd, value, ctx.home);
  if (p === undefined) return "unknown";
  return classifyPath(p, ctx);
}

export { dirname };

// Runs read-only git commands for a preview, so that nothing the agent could have prepared runs with them:
// git from a system directory (never from the agent's PATH), a clean environment, no global or system
// config, no fsmonitor, no pager, no optional locks (git status would otherwise rewrite the index), and
// no preview at all when the repository's own config names programs git would run (filters, diff drivers).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const GIT_PATHS = ["/usr/bin/git", "/bin/git", "/usr/local/bin/git", "/opt/homebrew/bin/git"];
/** core.fsmonitor and the pager are overridden on the command line; these cannot be. */
const RISKY = /^(filter\..*\.(clean|smudge|process)|diff\..*\.(textconv|command)|diff\.external)$/i;

export interface Git {
  /** stdout, or undefined when git failed or took too long. */
  run(args: readonly string[]): string | undefined;
}

function trustedGit(): string | undefined {
  return GIT_PATHS.find((p) => existsSync(p));
}

/** A git for the work tree at `cwd`, or a reason there is none. */
export function openGit(cwd: string, env: NodeJS.ProcessEnv): Git | string {
  const git = trustedGit();
  if (!git) return "git is not installed in a system directory";
  const clean: NodeJS.ProcessEnv = {
    PATH: "/usr/bin:/bin",
    HOME: env["HOME"] ?? "/",
    LANG: "C",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_ATTR_NOSYSTEM: "1",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_TERMINAL_PROMPT: "0",
    ...(env["GIT_DIR"] ? { GIT_DIR: env["GIT_DIR"] } : {}),
    ...(env["GIT_WORK_TREE"] ? { GIT_WORK_TREE: env["GIT_WORK_TREE"] } : {}),
  };
  const run = (args: readonly string[]) => {
    const r = spawnSync(
      git,
      ["-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "--no-pager", ...args],
      {
        cwd,
        env: clean,
        encoding: "utf8",
        timeout: 3000,
        maxBuffer: 8 << 20,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    return r.status === 0 ? r.stdout : undefined;
  };
  if (run(["rev-parse", "--git-dir"]) === undefined) return "not inside a git repository";
  const config = run(["config", "-z", "--list"]) ?? "";
  const risky = config
    .split("\0")
    .map((e) => e.split("\n")[0] ?? "")
    .filter((k) => RISKY.test(k));
  if (risky.length)
    return `the repository's config names programs git would run (${risky.slice(0, 3).join(", ")}), so guard does not run git to preview`;
  return { run };
}

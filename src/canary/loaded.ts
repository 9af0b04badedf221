// Names that real tools open on every run. A decoy there would alarm on every `aws`, `ssh`, `npm`,
// `git` or `kubectl` the user runs (canary.md §2.2, §3), so plant refuses them outright.
import { readFileSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";

/** Under HOME. */
const HOME_LOADED: readonly string[] = [
  ".aws/config", // the AWS CLI and every SDK, even `aws --version`
  ".aws/credentials",
  ".ssh/config", // ssh, scp, git over ssh
  ".ssh/known_hosts",
  ".ssh/authorized_keys",
  ".kube/config", // kubectl, helm, every client library
  ".docker/config.json", // every docker command
  ".npmrc", // npm and npx, every run
  ".yarnrc",
  ".yarnrc.yml",
  ".gitconfig", // every git command
  ".config/git/config",
  ".config/git/credentials", // git's store helper (XDG location)
  ".netrc", // wget, and libcurl for every git https fetch
  ".pgpass", // psql, every connection
  ".my.cnf", // mysql, every run
  ".config/gcloud/application_default_credentials.json", // every Google SDK's default credentials
  ".config/gcloud/credentials.db",
  ".config/gcloud/access_tokens.db",
  ".config/gh/hosts.yml",
];

/** Anywhere (project directories): files frameworks and shells load by themselves. */
const LOADED_NAMES =
  /^(\.env|\.env\.(local|development|production|test|[^.]+\.local)|\.envrc|\.npmrc|\.yarnrc(\.yml)?)$/;

function readSmall(path: string): string {
  try {
    return readFileSync(path, "utf8").slice(0, 1 << 20);
  } catch {
    return "";
  }
}

function globToRegExp(glob: string): RegExp {
  let rx = "";
  for (const c of glob)
    rx += c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${rx}$`);
}

/** Files pulled in by `Include` in the user's or the system's ssh config: ssh reads them on every run. */
function sshIncludes(home: string): RegExp[] {
  const out: RegExp[] = [];
  for (const [file, base] of [
    [join(home, ".ssh", "config"), join(home, ".ssh")],
    ["/etc/ssh/ssh_config", "/etc/ssh"],
  ] as const) {
    for (const m of readSmall(file).matchAll(/^\s*Include\s+(.+)$/gim)) {
      for (const word of (m[1] as string).trim().split(/\s+/)) {
        const abs = word.startsWith("~/") ? join(home, word.slice(2)) : resolve(base, word);
        out.push(globToRegExp(abs));
      }
    }
  }
  return out;
}

/** True when git is configured to use the store helper, which reads ~/.git-credentials at every authentication. */
function gitStoreHelper(home: string): boolean {
  const files = [join(home, ".gitconfig"), join(home, ".config", "git", "config"), "/etc/gitconfig"];
  return files.some((f) => /^\s*helper\s*=\s*.*\bstore\b/m.test(readSmall(f)));
}

/** Why a tool would open `path` by itself, or undefined when none does. */
export function loadedByTools(path: string, home: string): string | undefined {
  const rel = relative(home, path);
  const inHome = rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
  if (inHome && HOME_LOADED.includes(rel.split(sep).join("/")))
    return `~/${rel} is read by its tool on every run`;
  if (inHome && /^\.ssh\/id_[^/]+$/.test(rel.split(sep).join("/")))
    return `ssh opens ~/${rel} on every connection`;
  if (LOADED_NAMES.test(basename(path)))
    return `${basename(path)} is loaded automatically by frameworks and shells`;
  if (sshIncludes(home).some((rx) => rx.test(path)))
    return `${path} is included by an ssh config, so ssh reads it on every run`;
  if (inHome && rel === ".git-credentials" && gitStoreHelper(home))
    return "git's store credential helper is configured and reads ~/.git-credentials";
  return undefined;
}

// Globs that can name a credential file or the repository: `cat ~/.s*/id_*`, `cat .env*`, `rm -rf .g*`.
// The shell expands them before the command runs, so the command is also judged as if it named the file.

/** Well-known credential files, relative to the home directory. */
const IN_HOME = [
  ".ssh/id_rsa",
  ".ssh/id_dsa",
  ".ssh/id_ecdsa",
  ".ssh/id_ed25519",
  ".ssh/id_ecdsa_sk",
  ".ssh/id_ed25519_sk",
  ".git-credentials",
  ".netrc",
  ".npmrc",
  ".pypirc",
  ".vault-token",
  ".aws/credentials",
  ".kube/config",
  ".docker/config.json",
  ".config/gh/hosts.yml",
  ".config/gcloud/credentials.db",
  ".config/gcloud/access_tokens.db",
  ".config/gcloud/application_default_credentials.json",
  ".azure/accessTokens.json",
  ".azure/msal_token_cache.json",
  ".local/share/keyrings/login.keyring",
];

/** Credential files a project keeps, and its repository, relative to the working directory. */
const IN_CWD = [".git", ".env", ".env.local", ".env.production", ".env.development", ".envrc"];

/** The well-known credential files for this home and working directory. */
export function credentialFiles(home: string, cwd: string | undefined): string[] {
  const h = home.replace(/\/+$/, "");
  return [
    ...IN_HOME.map((p) => `${h}/${p}`),
    ...(cwd ? IN_CWD.filter((p) => p !== ".git").map((p) => `${cwd.replace(/\/+$/, "")}/${p}`) : []),
  ];
}

/** Whether a file name matches a find -name pattern (a glob on the last component). */
export function nameMatches(glob: string, name: string, nocase = false): boolean {
  if (/[{}\\/]/.test(glob)) return false;
  const src = globPart(glob, ".*", ".");
  return src !== undefined && new RegExp(`^${src}$`, nocase ? "i" : "").test(name);
}

/** One path segment of a glob as a regular expression: `*`, `?` and `[...]` (undefined if a class is unclosed). */
function globPart(seg: string, star: string, one: string): string | undefined {
  let s = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === "*") s += star;
    else if (c === "?") s += one;
    else if (c === "[") {
      const close = seg.indexOf("]", i + 2);
      if (close < 0) return undefined;
      const body = seg.slice(i + 1, close).replace(/^!/, "^");
      if (/[\\\]]/.test(body.slice(1))) return undefined;
      s += `[${body}]`;
      i = close;
    } else s += c.replace(/[.^$|+()]/g, "\\$&");
  }
  return s;
}

/**
 * guard's own files as paths a glob could name: its secrets as they are, and each protected glob
 * (`~/.claude/settings*.json`) by the names it stands for.
 */
export function guardFileExamples(
  protectedPaths: readonly string[],
  secretPaths: readonly string[],
): string[] {
  const out = [...secretPaths];
  for (const p of protectedPaths)
    if (p.includes("*")) out.push(p.replace("*", ""), p.replace("*", ".local"));
    else out.push(p, `${p}/config.yaml`);
  return out;
}

/**
 * A shell glob as a regular expression over a path: `*` and `?` stay within a segment and, as in the
 * shell, do not match a segment's leading dot; `[...]` is a class. Undefined for what this does not read
 * (braces, extended globs, escapes).
 */
function shellGlobRe(glob: string): RegExp | undefined {
  if (/[{}\\]|[?*+@!]\(/.test(glob)) return undefined;
  let src = "";
  for (const seg of glob.split("/")) {
    // `**` (globstar): any number of directories, none of them hidden.
    if (seg === "**") {
      src += "(?:/(?!\\.)[^/]*)*";
      continue;
    }
    const part = globPart(seg, "[^/]*", "[^/]");
    if (part === undefined) return undefined;
    const s = (/^[*?[]/.test(seg) ? "(?!\\.)" : "") + part;
    src += src === "" && seg === "" ? "" : `/${s}`;
  }
  return new RegExp(`^${src}$`);
}

/** The credential files a glob argument (already tilde-expanded) can name, at most `max` of them. */
export function sensitiveGlobHits(
  value: string,
  cwd: string | undefined,
  home: string,
  extra: readonly string[] = [],
  max = 3,
): string[] {
  if (!/[*?[]/.test(value)) return [];
  const abs = value.startsWith("/") ? value : cwd ? `${cwd.replace(/\/+$/, "")}/${value}` : undefined;
  if (abs === undefined) return [];
  const re = shellGlobRe(abs.replace(/\/+/g, "/").replace(/\/\.(?=\/|$)/g, ""));
  if (!re || !abs.startsWith("/")) return [];
  const h = home.replace(/\/+$/, "");
  const candidates = [
    ...IN_HOME.map((p) => `${h}/${p}`),
    ...(cwd ? IN_CWD.map((p) => `${cwd.replace(/\/+$/, "")}/${p}`) : []),
    ...extra,
  ];
  const hits: string[] = [];
  for (const c of candidates) {
    if (re.test(c)) hits.push(c);
    if (hits.length >= max) break;
  }
  return hits;
}

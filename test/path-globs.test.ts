// Path globs match exactly as picomatch does, whichever way matchPath gets its regular expression: stored by
// the build for the rules' globs, made directly for a simple glob, or picomatch itself.
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { matchPath, pathGlobSources } from "../src/judge/glob.ts";
import { PACKS } from "./helpers.ts";

const PATHS = [
  "/",
  "/root/.claude/settings.json",
  "/root/.claude/settings.local.json",
  "/root/.claude/settings/x.json",
  "/root/.claude/settingsjson",
  "/root/.claude/.settings.json",
  "/home/ann/.bashrc",
  "/home/ann/x/.bashrc",
  "/home/./.bashrc",
  "/home/../.bashrc",
  "/home/.hidden/.bashrc",
  "/home/ann/.ssh/id_ed25519",
  "/home/ann/.ssh/id_ed25519.pub",
  "/home/ann/.ssh/known_hosts",
  "/home/ann/.ssh/config",
  "/home/ann/.aws/credentials",
  "/home/ann/.aws/config",
  "/home/ann/.aws/sso/cache/x.json",
  "/srv/app/.env",
  "/srv/app/.env.example",
  "/srv/app/.env.production",
  "/srv/app/prod.env",
  ".env",
  "id_rsa",
  "/etc/sudoers.d/90-user",
  "/etc/sudoers",
  "/proc/sys/kernel/x",
  "/proc/sys",
  "/sys/",
  "/dev/tcp/127.0.0.1/80",
  "/dev/tcp/10.0.0.1/80",
  "/Users/ann/Library/LaunchAgents/x.plist",
  "/home/ann/.config/google-chrome/Default/Cookies",
  "/home/ann/.zsh_history",
  "/home/ann/.history",
  "relative/dir/file",
  "/a b/c+d/(e)/[f]",
];

function ruleGlobs(v: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(v)) for (const x of v) ruleGlobs(x, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      if (k === "paths" && Array.isArray(x)) for (const p of x) out.add(p as string);
      else ruleGlobs(x, out);
    }
  return out;
}

describe("path globs", () => {
  const globs = [
    ...ruleGlobs(
      PACKS.map((p) => p.rules.map((r) => r.match)),
      new Set(),
    ),
  ];

  it("the rules have path globs to store", () => {
    expect(globs.length).toBeGreaterThan(30);
  });

  it("stored by the build, they match what picomatch matches", () => {
    const sources = pathGlobSources(globs);
    for (const g of globs) {
      const re = new RegExp(sources[g] as string);
      const pm = picomatch(g, { dot: true });
      for (const p of [...PATHS, g]) expect([g, p, p === g || re.test(p)]).toEqual([g, p, pm(p)]);
    }
  });

  it("simple globs made without picomatch match what picomatch matches", () => {
    const simple = [
      "/root/.claude/settings*.json",
      "/home/ann/.claude/settings*.json",
      "/a b/c+d/*",
      "/home/*/.bashrc",
      "/srv/app/.env*",
      "/srv/*/.env",
      "*.json",
      "/home/ann/.ssh/id_*",
      "/root/.claude/s*t*s.json",
    ];
    for (const g of simple) {
      const pm = picomatch(g, { dot: true });
      for (const p of [...PATHS, g]) expect([g, p, matchPath(g, p)]).toEqual([g, p, pm(p)]);
    }
  });
});

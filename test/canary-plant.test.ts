// guard canary plant / remove: never overwrites, never plants where a tool loads by itself, and
// removal restores the tree byte for byte. In-process, in a throwaway HOME.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  lstatSync,
  readlinkSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadDecoyIndex } from "../src/canary/index.ts";
import { readInventory, writeInventory } from "../src/canary/inventory.ts";
import { loadedByTools } from "../src/canary/loaded.ts";
import { plant, type PlantResult } from "../src/canary/plant.ts";
import { removeDecoys } from "../src/canary/remove.ts";
import { crc32 } from "../src/canary/tokens.ts";
import { has, makeHome, snapshot, removeTemp } from "./fixtures/canary-helpers.ts";

// Registered first, so it runs after every other afterAll of this file (they stop watchers).
afterAll(removeTemp);

const GUARD = ["/usr/bin/node", "/opt/guard/bin/guard"];

function plantIn(env: NodeJS.ProcessEnv, kinds?: Parameters<typeof plant>[0]["kinds"]): PlantResult {
  return plant({ env, guard: GUARD, ...(kinds ? { kinds } : {}) });
}

function pathOf(r: PlantResult, suffix: string): string {
  const d = r.planted.find((x) => x.path.endsWith(suffix));
  if (!d) throw new Error(`nothing planted at *${suffix}`);
  return d.path;
}

/** A home that already has real credentials, links and directories where decoys would go. */
function livedInHome() {
  const { home, env } = makeHome();
  mkdirSync(join(home, ".aws"), { mode: 0o755 });
  writeFileSync(join(home, ".aws", "config"), "[default]\nregion = eu-west-1\n");
  writeFileSync(
    join(home, ".aws", "credentials.bak"),
    "[default]\naws_access_key_id = AKIAREALUSERKEY00000\n",
    { mode: 0o600 },
  );
  mkdirSync(join(home, ".ssh"), { mode: 0o700 });
  writeFileSync(join(home, ".ssh", "id_ed25519"), "real private key\n", { mode: 0o600 });
  symlinkSync(join(home, "nowhere"), join(home, ".npmrc.bak")); // dangling
  writeFileSync(join(home, "netrc-real"), "machine x login y password z\n");
  symlinkSync(join(home, "netrc-real"), join(home, ".netrc.old")); // to a real file
  mkdirSync(join(home, ".git-credentials")); // a directory where a decoy would go
  mkdirSync(join(home, "dotfiles", "kube"), { recursive: true });
  symlinkSync(join(home, "dotfiles", "kube"), join(home, ".kube")); // the parent is a link
  return { home, env };
}

describe("guard canary plant", () => {
  it("plants every kind in an empty home, files 0600 (scripts 0700), new directories 0700", () => {
    const { home, env } = makeHome();
    const r = plantIn(env);
    expect(r.skipped).toEqual([]);
    expect(new Set(r.planted.map((d) => d.kind))).toEqual(
      new Set(["aws", "ssh", "kube", "gcp", "env", "npm", "docker", "git", "netrc"]),
    );
    for (const d of r.planted) {
      const mode = statSync(d.path).mode & 0o777;
      expect(mode, d.path).toBe(d.role === "tripwire" ? 0o700 : d.path.endsWith(".pub") ? 0o644 : 0o600);
    }
    for (const dir of readInventory(env).dirs) expect(statSync(dir).mode & 0o777, dir).toBe(0o700);
    expect(
      readInventory(env)
        .decoys.map((d) => d.path)
        .sort(),
    ).toEqual(r.planted.map((d) => d.path).sort());
    expect(readInventory(env).decoys.every((d) => !d.pending)).toBe(true);
    expect(existsSync(join(home, ".aws", "credentials.bak"))).toBe(true);
  });

  it("never writes over an existing file, a symlink (dangling or not), a directory, or through a linked parent", () => {
    const { home, env } = livedInHome();
    const before = snapshot(home);
    const r = plantIn(env);
    const after = snapshot(home);
    for (const [p, e] of Object.entries(before)) expect(after[p], p).toEqual(e);
    const skipped = Object.fromEntries(r.skipped.map((s) => [s.path.slice(home.length), s.reason]));
    expect(skipped["/.aws/credentials.bak"]).toMatch(/already exists/);
    expect(skipped["/.npmrc.bak"]).toMatch(/already exists/);
    expect(skipped["/.netrc.old"]).toMatch(/already exists/);
    expect(skipped["/.git-credentials"]).toMatch(/already exists/);
    expect(skipped["/.kube/kubectl-oidc_login"]).toMatch(/symlink/);
    expect(readlinkSync(join(home, ".npmrc.bak"))).toBe(join(home, "nowhere"));
    expect(existsSync(join(home, "nowhere"))).toBe(false);
    expect(readFileSync(join(home, "netrc-real"), "utf8")).toBe("machine x login y password z\n");
    expect(snapshot(join(home, "dotfiles"))).toEqual({ "/kube": expect.objectContaining({ type: "dir" }) });
    // A config is not planted when the tripwire it names could not be: it would run someone else's file.
    expect(skipped["/.kube/prod-eks.yaml"]).toMatch(/would name .*kubectl-oidc_login/);
    expect(r.planted.map((d) => d.path)).toContain(join(home, ".aws", "sso-credential-helper"));
  });

  it("refuses names that tools load on every run (canary.md §3)", () => {
    const { home } = makeHome();
    for (const rel of [
      ".aws/credentials",
      ".aws/config",
      ".ssh/id_ed25519",
      ".ssh/id_rsa.pub",
      ".ssh/config",
      ".kube/config",
      ".docker/config.json",
      ".npmrc",
      ".gitconfig",
      ".netrc",
    ]) {
      expect(loadedByTools(join(home, rel), home), rel).toBeDefined();
    }
    for (const name of [".env", ".env.local", ".env.production", ".envrc"])
      expect(loadedByTools(join(home, "project", name), home), name).toBeDefined();
    const { env } = makeHome();
    for (const d of plantIn(env).planted)
      expect(loadedByTools(d.path, env["HOME"] as string), d.path).toBeUndefined();
  });

  it("steps aside from files the user's own configuration makes tools load", () => {
    const { home, env } = makeHome();
    mkdirSync(join(home, ".ssh"), { mode: 0o700 });
    writeFileSync(
      join(home, ".ssh", "config"),
      "Include config.d/*.conf\nHost *\n  ServerAliveInterval 30\n",
    );
    writeFileSync(join(home, ".gitconfig"), "[credential]\n\thelper = store\n");
    const r = plantIn(env, ["ssh", "git"]);
    expect(r.skipped.find((s) => s.path.endsWith("config.d/prod-db.conf"))?.reason).toMatch(
      /included by an ssh config/,
    );
    expect(r.planted.map((d) => d.path)).toContain(join(home, ".git-credentials.bak"));
    expect(existsSync(join(home, ".git-credentials"))).toBe(false);
  });

  it("plants docker's credential helper tripwire only where asked and only into the user's own bin dir on PATH", () => {
    const { home, env } = makeHome();
    env["PATH"] = `/usr/local/bin:/usr/bin:${home}/.local/bin`; // on PATH, but does not exist
    const none = plant({ env, guard: GUARD, kinds: ["docker"], dockerHelper: true });
    expect(none.notes).toEqual([expect.stringMatching(/no docker credential helper planted/)]);
    expect(readFileSync(pathOf(none, "config.json.bak"), "utf8")).not.toContain("credHelpers");
    const other = makeHome();
    mkdirSync(join(other.home, "bin"));
    other.env["PATH"] = `/usr/bin:${other.home}/bin`;
    const r = plant({ env: other.env, guard: GUARD, kinds: ["docker"], dockerHelper: true });
    expect(pathOf(r, "docker-credential-corp-ecr")).toBe(
      join(other.home, "bin", "docker-credential-corp-ecr"),
    );
    expect(JSON.parse(readFileSync(pathOf(r, "config.json.bak"), "utf8"))).toMatchObject({
      credHelpers: { "registry.corp.internal": "corp-ecr" },
    });
  });

  it("gives every plant fresh, well-formed tokens, and the index the hook reads holds every path and token", () => {
    const a = makeHome();
    const b = makeHome();
    expect(loadDecoyIndex(a.env)).toEqual({ paths: [], tokens: [] });
    const ra = plantIn(a.env);
    const rb = plantIn(b.env);
    const ta = ra.planted.flatMap((d) => d.tokens);
    const tb = rb.planted.flatMap((d) => d.tokens);
    expect(ta.length).toBeGreaterThan(15);
    expect(ta.filter((t) => tb.includes(t))).toEqual([]);
    const idx = loadDecoyIndex(a.env);
    expect(new Set(idx.paths)).toEqual(new Set(ra.planted.map((d) => d.path)));
    expect(new Set(idx.tokens)).toEqual(new Set(ta));
    for (const d of ra.planted) {
      const text = readFileSync(d.path, "utf8");
      // docker keeps user:token base64-encoded; the hook knows both forms.
      const decoded = [...text.matchAll(/"auth": "([^"]+)"/g)]
        .map((m) => Buffer.from(m[1] as string, "base64").toString())
        .join("\n");
      for (const t of d.tokens) expect(text + decoded, d.path).toContain(t);
    }
    const aws = readFileSync(pathOf(ra, ".aws/credentials.bak"), "utf8");
    expect(aws).toMatch(/aws_access_key_id = AKIA[A-Z2-7]{16}\n/);
    expect(aws).toMatch(/credential_process = \S+sso-credential-helper --profile prod-admin/);
    const ghp = /ghp_([A-Za-z0-9]{30})([A-Za-z0-9]{6})/.exec(
      readFileSync(pathOf(ra, ".git-credentials"), "utf8"),
    );
    expect(ghp).not.toBeNull();
    const b62 = (s: string) =>
      [...s].reduce(
        (n, c) => n * 62 + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".indexOf(c),
        0,
      );
    expect(b62(ghp?.[2] ?? "")).toBe(crc32(ghp?.[1] ?? ""));
  });

  it("writes files each tool can parse", () => {
    const { env } = makeHome();
    const r = plantIn(env);
    const kube = parseYaml(readFileSync(pathOf(r, ".kube/prod-eks.yaml"), "utf8")) as {
      users: { user: { exec: { command: string } } }[];
    };
    expect(kube.users[0]?.user.exec.command).toBe(pathOf(r, "kubectl-oidc_login"));
    const gcp = JSON.parse(readFileSync(pathOf(r, "prod-deployer.json"), "utf8")) as {
      type: string;
      private_key: string;
    };
    expect(gcp.type).toBe("service_account");
    expect(gcp.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const docker = JSON.parse(readFileSync(pathOf(r, "config.json.bak"), "utf8")) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Object.values(docker.auths).map((a) => Buffer.from(a.auth, "base64").toString())).toEqual([
      expect.stringMatching(/^deploy:dckr_pat_/),
      expect.stringMatching(/^corpdeploy:dckr_pat_/),
    ]);
    expect(readFileSync(pathOf(r, "sso-credential-helper"), "utf8")).toMatch(
      /^#!\/bin\/sh\nexec \/usr\/bin\/env XDG_STATE_HOME='.*' XDG_CONFIG_HOME='.*' '\/usr\/bin\/node' '\/opt\/guard\/bin\/guard' canary trip 'aws-[0-9a-f]{8}' "\$@"\n$/,
    );
  });

  it.skipIf(!has("ssh-keygen"))("plants an ssh key that ssh-keygen reads back (needs openssh-client)", () => {
    const { env } = makeHome();
    const r = plantIn(env, ["ssh"]);
    const key = pathOf(r, "prod_db_ed25519");
    const out = spawnSync("ssh-keygen", ["-y", "-f", key], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    const fields = (s: string) => s.trim().split(" ").slice(0, 2).join(" ");
    expect(fields(out.stdout)).toBe(fields(readFileSync(`${key}.pub`, "utf8")));
  });
});

describe("guard canary remove", () => {
  it("restores the home byte for byte: what plant created goes, everything else stays", () => {
    const { home, env } = livedInHome();
    const state = join(home, ".local");
    const before = snapshot(home, [state]);
    plantIn(env);
    expect(snapshot(home, [state])).not.toEqual(before);
    const r = removeDecoys(env);
    expect(r.kept).toEqual([]);
    expect(snapshot(home, [state])).toEqual(before);
    expect(loadDecoyIndex(env)).toEqual({ paths: [], tokens: [] });
    expect(readInventory(env).decoys).toEqual([]);
  });

  it("keeps a decoy the user edited or replaced, and a directory that is no longer empty, and says so", () => {
    const { home, env } = makeHome();
    const r = plantIn(env, ["aws", "kube", "npm"]);
    const kube = pathOf(r, "prod-eks.yaml");
    writeFileSync(kube, readFileSync(kube, "utf8") + "# mine now\n");
    const npm = pathOf(r, ".npmrc.bak");
    writeFileSync(npm + ".new", "registry=https://registry.npmjs.org/\n");
    spawnSync("mv", [npm + ".new", npm]);
    writeFileSync(join(home, ".aws", "notes.txt"), "keep me\n");
    const res = removeDecoys(env);
    expect(res.kept.map((k) => k.path).sort()).toEqual([kube, npm].sort());
    expect(res.kept.find((k) => k.path === kube)?.reason).toMatch(/edited/);
    expect(res.kept.find((k) => k.path === npm)?.reason).toMatch(/replaced/);
    expect(readFileSync(kube, "utf8")).toMatch(/# mine now\n$/);
    expect(readFileSync(npm, "utf8")).toBe("registry=https://registry.npmjs.org/\n");
    expect(existsSync(pathOf(r, "credentials.bak"))).toBe(false);
    expect(res.dirsKept.map((d) => d.path).sort()).toEqual([join(home, ".aws"), join(home, ".kube")]);
    expect(readFileSync(join(home, ".aws", "notes.txt"), "utf8")).toBe("keep me\n");
  });

  it("deletes a file whose times changed but whose bytes did not (a chmod back and forth)", () => {
    const { env } = makeHome();
    const r = plantIn(env, ["npm"]);
    const npm = pathOf(r, ".npmrc.bak");
    chmodSync(npm, 0o644);
    chmodSync(npm, 0o600);
    expect(removeDecoys(env).removed).toEqual([npm]);
  });

  it("after an interrupted plant, removes a recorded file only if its bytes are guard's (or it is still empty)", () => {
    const { env } = makeHome();
    const r = plantIn(env, ["npm", "netrc", "docker"]);
    const [npm, netrc, docker] = [
      pathOf(r, ".npmrc.bak"),
      pathOf(r, ".netrc.old"),
      pathOf(r, "config.json.bak"),
    ];
    const inv = readInventory(env);
    // As if plant stopped between recording each file and learning its inode.
    writeInventory({ ...inv, decoys: inv.decoys.map((d) => ({ ...d, pending: true, dev: 0, ino: 0 })) }, env);
    writeFileSync(netrc, "machine mine login me password secret\n");
    writeFileSync(docker, ""); // created, never written
    const res = removeDecoys(env);
    expect(res.removed.sort()).toEqual([docker, npm].sort());
    expect(res.kept.map((k) => k.path)).toEqual([netrc]);
    expect(lstatSync(netrc).isFile()).toBe(true);
  });
});

describe("the decoy index", () => {
  it("falls back to the inventory when the index is damaged, and is empty when nothing is planted", () => {
    const { env } = makeHome();
    expect(loadDecoyIndex(env)).toEqual({ paths: [], tokens: [] });
    const r = plantIn(env, ["npm"]);
    const good = loadDecoyIndex(env);
    writeFileSync(join(env["HOME"] as string, ".local/state/guard/canary/index.json"), "{ torn");
    expect(loadDecoyIndex(env)).toEqual(good);
    expect(good.paths).toEqual([pathOf(r, ".npmrc.bak")]);
  });
});

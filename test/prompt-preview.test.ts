// What the prompt previews, computed without side effects: files and bytes a deletion removes, the work a
// git reset/checkout/clean discards, the remote commits a force-push drops, the cluster objects, the
// terraform workspace, the database and statements; and how the prompt shows it.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Context, Verdict } from "../src/core/types.ts";
import { resolveCommand } from "../src/resolve/resolve.ts";
import { makeBudget } from "../src/act/preview/effect.ts";
import { deletionPreview } from "../src/act/preview/deletion.ts";
import { gitWorktreePreview } from "../src/act/preview/git-worktree.ts";
import { gitPushPreview } from "../src/act/preview/git-push.ts";
import { kubePreview, manifestKinds } from "../src/act/preview/kube.ts";
import { terraformPreview } from "../src/act/preview/terraform.ts";
import { sqlPreview } from "../src/act/preview/sql.ts";
import { previewVerdict } from "../src/act/preview/preview.ts";
import { renderPrompt } from "../src/act/prompt/render.ts";
import { parseAnswer } from "../src/act/prompt/answer.ts";

const base = mkdtempSync(join(tmpdir(), "guard-preview-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

function project(): { dir: string; ctx: Context } {
  const dir = join(base, `p${n++}`);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    ctx: {
      cwd: dir,
      home: join(base, "home"),
      projectRoot: dir,
      env: {},
      kubeContext: "dev-cluster",
      kubeNamespace: "default",
    },
  };
}

function inv(command: string, ctx: Context) {
  const i = resolveCommand(command, ctx).invocations[0];
  if (!i) throw new Error(`no invocation in ${command}`);
  return i;
}

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
};
function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "init.defaultBranch=main", ...args], {
    cwd,
    env: GIT_ENV,
    encoding: "utf8",
  });
}
function repo(): { dir: string; ctx: Context } {
  const p = project();
  git(p.dir, "init", "-q");
  writeFileSync(join(p.dir, "a.txt"), "one\ntwo\n");
  writeFileSync(join(p.dir, ".gitignore"), "*.log\n");
  git(p.dir, "add", ".");
  git(p.dir, "commit", "-qm", "first");
  return p;
}
function hashOf(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

describe("deletion", () => {
  it("counts the files and bytes under each resolved target", () => {
    const { dir, ctx } = project();
    mkdirSync(join(dir, "build/deep"), { recursive: true });
    writeFileSync(join(dir, "build/x.bin"), Buffer.alloc(2048));
    writeFileSync(join(dir, "build/deep/y.bin"), Buffer.alloc(1024));
    writeFileSync(join(dir, "notes.txt"), "hello");
    const e = deletionPreview(inv("rm -rf build notes.txt missing", ctx), ctx, makeBudget(5000));
    expect(e?.lines).toEqual([
      `${dir}/build: directory, 2 files, 3.0 KB`,
      `${dir}/notes.txt: file, 5 bytes`,
      `${dir}/missing: does not exist`,
    ]);
    expect(e?.scope).toBe("3 files, 3.0 KB");
    expect(e?.reversibility).toBe("irreversible");
    expect(e?.coupling).toContain("part of this project");
  });

  it("expands globs as the shell would, and says when a target is only known at run time", () => {
    const { dir, ctx } = project();
    for (const f of ["a.log", "b.log", ".hidden.log", "keep.txt"]) writeFileSync(join(dir, f), "12345");
    const e = deletionPreview(inv('rm -f *.log "$OTHER"', ctx), ctx, makeBudget(5000));
    expect(e?.lines).toEqual([
      `${dir}/a.log: file, 5 bytes`,
      `${dir}/b.log: file, 5 bytes`,
      '"$OTHER": only known when it runs',
    ]);
    expect(e?.scope).toBe("2 files, 10 bytes known, plus 1 target only known when it runs");
  });

  it("previews find -delete from its starting points, and interpreter rmtree calls", () => {
    const { dir, ctx } = project();
    mkdirSync(join(dir, "cache"));
    writeFileSync(join(dir, "cache/a"), "abc");
    expect(deletionPreview(inv("find cache -name '*.tmp' -delete", ctx), ctx, makeBudget(5000))?.scope).toBe(
      "1 file, 3 bytes",
    );
    const viaPython = resolveCommand(
      `python3 -c 'import shutil; shutil.rmtree("${dir}/cache")'`,
      ctx,
    ).invocations.find((i) => i.name === "rm");
    expect(viaPython && deletionPreview(viaPython, ctx, makeBudget(5000))?.scope).toBe("1 file, 3 bytes");
  });

  it("says so when counting stops at the budget", () => {
    const { dir, ctx } = project();
    mkdirSync(join(dir, "big"));
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, `big/f${i}`), "x");
    const budget = makeBudget(5000, 10);
    const e = deletionPreview(inv("rm -rf big", ctx), ctx, budget);
    expect(e?.scope).toMatch(/^at least /);
  });
});

describe("git", () => {
  it("reset --hard: the uncommitted changes that would be lost, without touching the index", () => {
    const { dir, ctx } = repo();
    writeFileSync(join(dir, "a.txt"), "one\nTWO\nthree\n");
    writeFileSync(join(dir, "new.txt"), "staged\n");
    git(dir, "add", "new.txt");
    const index = hashOf(join(dir, ".git/index"));
    const e = gitWorktreePreview(inv("git reset --hard", ctx), ctx, makeBudget(5000), process.env);
    expect(e?.lines.join("\n")).toMatch(/a\.txt +\+2 -1/);
    expect(e?.lines.join("\n")).toMatch(/new\.txt +\+1 -0/);
    expect(e?.scope).toBe("2 files with uncommitted changes (+3 -1 lines)");
    expect(e?.reversibility).toBe("irreversible");
    expect(hashOf(join(dir, ".git/index"))).toBe(index);
  });

  it("reset --hard to an older commit also lists the commits leaving the branch", () => {
    const { dir, ctx } = repo();
    writeFileSync(join(dir, "b.txt"), "b\n");
    git(dir, "add", ".");
    git(dir, "commit", "-qm", "second commit");
    const e = gitWorktreePreview(inv("git reset --hard HEAD~1", ctx), ctx, makeBudget(5000), process.env);
    expect(e?.lines.join("\n")).toContain("1 commit would leave the current branch");
    expect(e?.lines.join("\n")).toContain("second commit");
    expect(e?.reversibility).toBe("recoverable");
  });

  it("checkout . : the unstaged changes it overwrites", () => {
    const { dir, ctx } = repo();
    writeFileSync(join(dir, "a.txt"), "changed\n");
    const e = gitWorktreePreview(inv("git checkout .", ctx), ctx, makeBudget(5000), process.env);
    expect(e?.scope).toBe("1 file with uncommitted changes (+1 -2 lines)");
  });

  it("clean -fdx: the untracked and ignored files it deletes, which stay in place", () => {
    const { dir, ctx } = repo();
    mkdirSync(join(dir, "tmpdir"));
    writeFileSync(join(dir, "tmpdir/x"), "12345");
    writeFileSync(join(dir, "debug.log"), "123");
    const e = gitWorktreePreview(inv("git clean -fdx", ctx), ctx, makeBudget(5000), process.env);
    expect(e?.lines.join("\n")).toContain("debug.log");
    expect(e?.lines.join("\n")).toContain("tmpdir/");
    expect(e?.scope).toBe("2 files, 8 bytes");
    expect(e?.coupling).toContain("ignored files too");
    expect(existsSync(join(dir, "debug.log"))).toBe(true);
  });

  it("force-push: the remote commits that would be dropped, as of the last fetch", () => {
    const remote = join(base, `remote${n++}.git`);
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", remote], { env: GIT_ENV });
    const a = repo();
    git(a.dir, "remote", "add", "origin", remote);
    git(a.dir, "push", "-q", "-u", "origin", "main");
    const b = project();
    git(b.dir, "clone", "-q", remote, ".");
    for (const msg of ["their work 1", "their work 2"]) {
      writeFileSync(join(b.dir, "t.txt"), msg);
      git(b.dir, "add", ".");
      git(b.dir, "commit", "-qm", msg);
    }
    git(b.dir, "push", "-q", "origin", "main");
    git(a.dir, "fetch", "-q");
    writeFileSync(join(a.dir, "mine.txt"), "mine");
    git(a.dir, "add", ".");
    git(a.dir, "commit", "-qm", "my work");
    const e = gitPushPreview(inv("git push --force origin main", a.ctx), a.ctx, process.env);
    const text = e?.lines.join("\n") ?? "";
    expect(text).toContain("origin/main: 2 commits that main does not have would be dropped");
    expect(text).toContain("their work 2");
    expect(text).toMatch(/last fetched/);
    expect(e?.scope).toBe("2 remote commits dropped");
    expect(gitPushPreview(inv("git push origin +main", a.ctx), a.ctx, process.env)?.scope).toBe(
      "2 remote commits dropped",
    );
    expect(gitPushPreview(inv("git push origin main", a.ctx), a.ctx, process.env)).toBeUndefined();
  });

  it("does not run git when the repository's config names programs git would run", () => {
    const { dir, ctx } = repo();
    const marker = join(base, `filter-ran-${n++}`);
    git(dir, "config", "filter.evil.clean", `touch ${marker}; cat`);
    writeFileSync(join(dir, ".gitattributes"), "* filter=evil\n");
    writeFileSync(join(dir, "a.txt"), "changed\n");
    const e = gitWorktreePreview(inv("git reset --hard", ctx), ctx, makeBudget(5000), process.env);
    expect(e?.lines[0]).toContain("names programs git would run");
    expect(existsSync(marker)).toBe(false);
  });

  it("uses git from a system directory, never one the agent put on PATH", () => {
    const { dir, ctx } = repo();
    const bin = join(base, `fakebin${n++}`);
    const marker = join(bin, "ran");
    mkdirSync(bin);
    writeFileSync(join(bin, "git"), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    writeFileSync(join(dir, "a.txt"), "changed\n");
    gitWorktreePreview(inv("git reset --hard", ctx), ctx, makeBudget(5000), {
      ...process.env,
      PATH: `${bin}:${process.env["PATH"]}`,
    });
    expect(existsSync(marker)).toBe(false);
  });
});

describe("kubernetes, terraform, databases", () => {
  it("kubectl: context, namespace and objects", () => {
    const { ctx } = project();
    const e = kubePreview(inv("kubectl --context prod delete deploy api worker -n payments", ctx), ctx);
    expect(e?.lines).toEqual([
      "context    prod",
      "namespace  payments",
      "objects    deploy/api, deploy/worker",
    ]);
    expect(e?.scope).toBe("2 objects");
    const sel = kubePreview(inv("kubectl delete pods -l app=web", ctx), ctx);
    expect(sel?.lines).toEqual([
      "context    dev-cluster",
      "namespace  default",
      "objects    every pods matching app=web",
    ]);
  });

  it("kubectl -f: the objects in the manifest", () => {
    const { dir, ctx } = project();
    writeFileSync(
      join(dir, "m.yaml"),
      "kind: Deployment\nmetadata:\n  name: api\n---\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\n",
    );
    const e = kubePreview(inv("kubectl delete -f m.yaml", ctx), ctx);
    expect(e?.lines[2]).toBe("objects    deployment/api, service/api (namespace shop)");
  });

  it("reads kind, name and namespace of manifest objects without a YAML library", () => {
    const text = `# comment\napiVersion: v1\nkind: "ConfigMap"\nmetadata:\n    labels:\n        name: wrong\n    name: "cfg"\n    namespace: prod # here\ndata:\n  name: nope\n---\n---\nkind: Secret\nmetadata: {}\n`;
    expect(manifestKinds(text)).toEqual(["configmap/cfg (namespace prod)", "secret/?"]);
  });

  it("terraform: the workspace and the resources in its local state", () => {
    const { dir, ctx } = project();
    mkdirSync(join(dir, ".terraform"));
    writeFileSync(join(dir, ".terraform/environment"), "staging");
    mkdirSync(join(dir, "terraform.tfstate.d/staging"), { recursive: true });
    const resources = ["aws_db_instance.main", "aws_s3_bucket.assets", "aws_instance.web"].map((a) => ({
      mode: "managed",
      type: a.split(".")[0],
      name: a.split(".")[1],
      instances: [{}],
    }));
    writeFileSync(join(dir, "terraform.tfstate.d/staging/terraform.tfstate"), JSON.stringify({ resources }));
    const e = terraformPreview(inv("terraform destroy -auto-approve", ctx), ctx, {});
    expect(e?.lines).toContain("workspace  staging");
    expect(e?.lines.join("\n")).toContain("aws_db_instance.main");
    expect(e?.scope).toBe("3 resources in workspace staging");
    expect(terraformPreview(inv("terraform destroy", ctx), ctx, { TF_WORKSPACE: "prod" })?.lines).toContain(
      "workspace  prod",
    );
  });

  it("SQL: the database, host and statements", () => {
    const { ctx } = project();
    const e = sqlPreview(inv(`psql -h db.prod -d app -c "DROP TABLE users; SELECT 1"`, ctx), ctx, {});
    expect(e?.lines).toEqual([
      "database   app",
      "host       db.prod",
      "statements 2 statements, 1 destructive:",
      "  DROP TABLE users   [drop-table]",
      "  SELECT 1",
    ]);
    expect(e?.coupling).toContain("database app on db.prod");
    const uri = sqlPreview(inv("psql postgres://admin:s3cret@db/app -c 'TRUNCATE t'", ctx), ctx, {});
    expect(uri?.lines.join("\n")).not.toContain("s3cret");
    const mysql = sqlPreview(inv("mysql -u root -p shop -e 'DROP DATABASE shop'", ctx), ctx, {});
    expect(mysql?.lines.slice(0, 2)).toEqual(["database   shop", "host       localhost (default)"]);
    const piped = sqlPreview(
      resolveCommand("echo 'DELETE FROM orders' | mysql shop", ctx).invocations.find(
        (i) => i.name === "mysql",
      )!,
      ctx,
      {},
    );
    expect(piped?.lines).toContain("  DELETE FROM orders   [delete-all]");
  });
});

/** An ask verdict on every invocation of `command`, as a rule would give. */
function verdict(command: string, ctx: Context): Verdict {
  const resolution = resolveCommand(command, ctx);
  return {
    decision: "ask",
    reason: "test.rule: because",
    hits: resolution.invocations.map((_, i) => ({
      id: "test.rule",
      decision: "ask" as const,
      reason: "because",
      span: [0, command.length] as const,
      invocation: i,
      why: "",
    })),
    resolution,
  };
}

describe("the prompt", () => {
  it("ends with one blast-radius line: scope, reversibility, coupling", () => {
    const { dir, ctx } = repo();
    writeFileSync(join(dir, "a.txt"), "changed\n");
    const p = previewVerdict(verdict("git reset --hard && rm -rf missing", ctx), ctx);
    expect(p.effects).toHaveLength(2);
    expect(p.blast.reversibility).toBe("irreversible");
    const text = renderPrompt(
      {
        command: "git reset --hard",
        verdict: verdict("git reset --hard", ctx),
        ctx,
        host: "exec",
        preview: p,
        timeoutSec: 60,
      },
      "maple",
      false,
    );
    expect(text.tty).toMatch(
      /^blast +scope: 1 file with uncommitted changes \(\+1 -2 lines\); nothing \(no target exists\) · reversibility: irreversible \(.*\) · coupling: your working tree only/m,
    );
  });

  it("shows control characters visibly, so a command cannot repaint the prompt", () => {
    const { ctx } = project();
    const command = "echo hi\x1b[2K\r\x1b[1Arm -rf ~ \u202e";
    const text = renderPrompt(
      {
        command,
        verdict: verdict("echo hi", ctx),
        ctx,
        host: "exec",
        preview: previewVerdict(verdict("echo hi", ctx), ctx),
        timeoutSec: 60,
      },
      "maple",
      false,
    );
    expect(text.tty).toContain("echo hi\\e[2K\\r\\e[1Arm -rf ~ \\u202e");
    expect(text.tty).not.toContain("\x1b[2K");
    expect(text.tty).not.toContain("\u202e");
  });

  it("puts the word on the terminal only: the recorded text hides it", () => {
    const { ctx } = project();
    const v = verdict("rm -rf x", ctx);
    const text = renderPrompt(
      { command: "rm -rf x", verdict: v, ctx, host: "exec", preview: previewVerdict(v, ctx), timeoutSec: 60 },
      "maple",
      false,
    );
    expect(text.tty).toContain("Type maple");
    expect(text.plain).not.toContain("maple");
    expect(text.plain).toContain("Type <word>");
  });

  it.each([
    ["maple", { answer: "allow-once" }],
    ["  Maple ", { answer: "allow-once" }],
    ["maple 15", { answer: "allow-session", minutes: 15 }],
    ["maple 480", { answer: "allow-session", minutes: 480 }],
    ["maple 481", { answer: "deny" }],
    ["maple 0", { answer: "deny" }],
    ["maple forever", { answer: "deny" }],
    ["y", { answer: "deny" }],
    ["yes", { answer: "deny" }],
    ["mapl", { answer: "deny" }],
    ["", { answer: "deny" }],
  ])("answer %j", (typed, expected) => {
    expect(parseAnswer(typed, "maple")).toEqual(expected);
  });

  it("previews nothing it cannot see, and says so", () => {
    const { ctx } = project();
    const p = previewVerdict(verdict("ssh prod 'rm -rf /srv/data'", ctx), ctx);
    expect(p.notes.join("\n")).toMatch(/another machine|no preview/);
    expect(p.blast.reversibility).not.toBe("reversible");
  });
});

describe("previews change nothing", () => {
  it("leaves files, mtimes and the git index as they were", () => {
    const { dir, ctx } = repo();
    writeFileSync(join(dir, "a.txt"), "changed\n");
    writeFileSync(join(dir, "u.txt"), "untracked\n");
    const before = [".git/index", "a.txt", "u.txt"].map((f) => [
      hashOf(join(dir, f)),
      statSync(join(dir, f)).mtimeMs,
    ]);
    for (const c of ["git reset --hard", "git clean -fdx", "git checkout .", "rm -rf .", "git push -f"])
      previewVerdict(verdict(c, ctx), ctx);
    const after = [".git/index", "a.txt", "u.txt"].map((f) => [
      hashOf(join(dir, f)),
      statSync(join(dir, f)).mtimeMs,
    ]);
    expect(after).toEqual(before);
  });
});

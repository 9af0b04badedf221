// Running a script that is already on disk (written by an earlier tool call, for instance) is judged by what
// is in it: `bash x.sh`, `./x.sh`, `source x.sh`, `bash < x.sh`, `python3 x.py`, `psql -f x.sql`,
// `mysql < x.sql`. Real files in a temp project; the reader never blocks on a FIFO and skips binaries.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readContext, readScript, SCRIPT_MAX_BYTES } from "../src/act/context.ts";
import { check, ids } from "./helpers.ts";

const dir = realpathSync(mkdtempSync(join(tmpdir(), "guard-scripts-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer, mode = 0o644): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

file("wipe.sh", "echo cleaning\nrm -rf ~\n", 0o755);
file("deploy.sh", "#!/usr/bin/env bash\nset -e\n$RUNNER build\ngit push --force origin main\n", 0o755);
file(
  "tests.sh",
  [
    "#!/bin/sh",
    "set -e",
    "tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT",
    'npm test > "$LOG"',
    '"$@"',
    'eval "$EXTRA"',
    "rm -rf ./build",
    'cd "$OUT" && rm -rf stale',
  ].join("\n") + "\n",
  0o755,
);
file("drop.sql", "-- cleanup\nDROP TABLE users;\n");
file("report.sql", "SELECT count(*) FROM users;\n");
file("clean.py", 'import shutil\nshutil.rmtree("/home")\n');
file("tidy", '#!/usr/bin/env python3\nimport shutil\nshutil.rmtree("/home")\n', 0o755);
file(
  "package.json",
  JSON.stringify({
    scripts: {
      test: "vitest run",
      clean: "rm -rf dist",
      nuke: "rm -rf ~",
      prerelease: "git push --force origin main",
      release: "echo done",
    },
  }),
);
// Not a shell script: were it read as one, its second line would be `rm -rf ~ if false`.
file("tool.rb", "#!/usr/bin/env ruby\nrm -rf ~ if false\n", 0o755);

function judged(command: string) {
  const ctx = { ...readContext(dir, { HOME: "/home/dev" }), decoys: undefined };
  return check(command, ctx);
}

describe("a script on disk is judged by its contents", () => {
  it.each([
    ["bash wipe.sh", "fs.rm-recursive-critical"],
    ["./wipe.sh", "fs.rm-recursive-critical"],
    [`${dir}/wipe.sh`, "fs.rm-recursive-critical"],
    ["sh -e ./wipe.sh", "fs.rm-recursive-critical"],
    ["source wipe.sh", "fs.rm-recursive-critical"],
    [". ./wipe.sh", "fs.rm-recursive-critical"],
    ["bash < wipe.sh", "fs.rm-recursive-critical"],
    ["sudo ./wipe.sh", "fs.rm-recursive-critical"],
    ["cd / && bash " + dir + "/wipe.sh", "fs.rm-recursive-critical"],
    ["./deploy.sh", "git.push-force"],
    ["psql -f drop.sql", "db.drop-table"],
    ["psql app < drop.sql", "db.drop-table"],
    ["python3 clean.py", "fs.rm-recursive-critical"],
    // run by path with a #! line naming python: judged as python code
    ["./tidy", "fs.rm-recursive-critical"],
  ])("%s", (command, id) => {
    const v = judged(command);
    expect(v.decision).toBe("deny");
    expect(ids(v)).toContain(id);
  });

  it.each([
    // What cannot be resolved inside a project's own script ($RUNNER, "$@", eval "$EXTRA") is not asked about.
    "./tests.sh",
    "bash tests.sh",
    "psql -f report.sql",
    "cat wipe.sh",
    "less deploy.sh",
    "bash missing.sh",
    // A #! line naming ruby: the file is ruby code, not shell text.
    "./tool.rb",
  ])("%s passes", (command) => {
    expect(judged(command).decision).not.toMatch(/deny|ask/);
  });

  it("the same unresolved targets typed on the command line are still asked about", () => {
    expect(judged('rm -rf "$tmp"').decision).toBe("ask");
    expect(judged('cd "$OUT" && rm -rf stale').decision).toBe("ask");
  });
  it("a planted decoy is never opened to be judged (reading it would raise the alarm)", () => {
    const decoy = file("decoy.sh", "rm -rf ~\n");
    const ctx = { ...readContext(dir, { HOME: "/home/dev" }), decoys: { paths: [decoy], tokens: [] } };
    expect(ids(check("bash decoy.sh", ctx))).not.toContain("fs.rm-recursive-critical");
    expect(ids(check("bash wipe.sh", ctx))).toContain("fs.rm-recursive-critical");
  });
  it("without a reader (the rule examples' context), only files the same line writes are looked into", () => {
    expect(check("bash " + join(dir, "wipe.sh")).decision).toBe("none");
  });
});

describe("package.json scripts run by npm, yarn, pnpm and bun", () => {
  it("are judged by what they run, pre- and post- scripts included", () => {
    expect(judged("npm run nuke").decision).toBe("deny");
    expect(judged("yarn nuke").decision).toBe("deny");
    expect(judged("pnpm run release").decision).toBe("deny");
    expect(ids(judged("npm run release"))).toContain("git.push-force");
  });
  it("ordinary scripts pass", () => {
    expect(judged("npm test").decision).toBe("none");
    expect(judged("npm run clean").decision).toBe("none");
    expect(judged("npm install").decision).toBe("none");
  });
});

describe("make runs the recipes of a Makefile on disk", () => {
  it("judges the targets it is asked for, and their prerequisites", () => {
    file("Makefile", "build:\n\tnpm run build\n\nclean:\n\trm -rf dist\n\nnuke: clean\n\trm -rf ~\n");
    expect(judged("make").decision).toBe("none");
    expect(judged("make clean").decision).toBe("none");
    expect(judged("make nuke").decision).toBe("deny");
  });
});

describe("readScript", () => {
  it("reads a small text file", () => {
    expect(readScript(join(dir, "wipe.sh"))).toBe("echo cleaning\nrm -rf ~\n");
  });
  it("skips binaries, large files, directories and missing files", () => {
    expect(readScript(file("bin", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])))).toBeUndefined();
    expect(readScript(file("big.sh", "#".repeat(SCRIPT_MAX_BYTES + 1)))).toBeUndefined();
    expect(readScript(dir)).toBeUndefined();
    expect(readScript(join(dir, "nope.sh"))).toBeUndefined();
  });
  it("drops stray NUL bytes from text, as the shells do, so they cannot hide a command", () => {
    file("nul.sh", Buffer.from("#!/bin/bash\nr\0m -rf ~\n", "utf8"), 0o755);
    expect(readScript(join(dir, "nul.sh"))).toBe("#!/bin/bash\nrm -rf ~\n");
    expect(judged("sh nul.sh").decision).toBe("deny");
    expect(judged("./nul.sh").decision).toBe("deny");
  });
  it("does not block on a FIFO", () => {
    const fifo = join(dir, "pipe.sh");
    const made = spawnSync("mkfifo", [fifo]);
    expect(made.status).toBe(0);
    expect(readScript(fifo)).toBeUndefined();
    expect(judged("bash pipe.sh").decision).not.toMatch(/deny/);
  });
});

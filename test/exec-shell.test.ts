// guard shell stands in for $SHELL: the forms agents use (-c, -lc, -ic, -ec, -c -l, a script on stdin, a
// script file) run through the judge, with the shell's own semantics for $0, $1 and -e.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { buildGuard, disposeGuard, sandbox, type Sandbox } from "./exec-harness.ts";
import { parseShellArgs } from "../src/act/exec/shell-args.ts";

const guard = await buildGuard();
afterAll(() => disposeGuard(guard));
const sb: Sandbox = sandbox();
afterAll(() => sb.cleanup());

function shell(args: string[], input = ""): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [guard, "shell", ...args], {
    cwd: sb.project,
    env: sb.env,
    input,
    encoding: "utf8",
  });
}

describe("parseShellArgs", () => {
  it.each([
    [["-c", "ls"], { kind: "command", command: "ls", options: [], operands: [] }],
    [["-lc", "ls"], { kind: "command", command: "ls", options: [], operands: [] }],
    [["-ic", "ls"], { kind: "command", command: "ls", options: [], operands: [] }],
    [["-ec", "ls", "n", "a"], { kind: "command", command: "ls", options: ["-e"], operands: ["n", "a"] }],
    [["-c", "-l", "ls"], { kind: "command", command: "ls", options: [], operands: [] }],
    [
      ["--login", "-o", "pipefail", "-c", "ls"],
      { kind: "command", command: "ls", options: ["-o", "pipefail"], operands: [] },
    ],
    [["-s", "a"], { kind: "stdin", options: [], operands: ["a"] }],
    [[], { kind: "stdin", options: [], operands: [] }],
    [["script.sh", "x"], { kind: "file", path: "script.sh", options: [], operands: ["x"] }],
  ])("%j", (args, expected) => {
    expect(parseShellArgs(args)).toEqual(expected);
  });

  it.each([["-c"], ["-Z", "-c", "ls"], ["--rcfile"], ["--frobnicate", "-c", "ls"]])(
    "refuses %j",
    (...args) => {
      const r = parseShellArgs(args);
      if (args[0] === "--rcfile") expect(r.kind).toBe("stdin");
      else expect(r.kind).toBe("error");
    },
  );
});

describe("running", () => {
  it("-c with $0 and positional parameters", () => {
    const r = shell(["-c", 'echo "$0:$1:$2"', "name", "a", "b c"]);
    expect(r.stdout).toBe("name:a:b c\n");
  });

  it.each([["-lc"], ["-ic"]])("%s runs the command without reading profile or rc files", (flag) => {
    writeFileSync(`${sb.env["HOME"]}/.bashrc`, "echo RC-READ\n");
    writeFileSync(`${sb.env["HOME"]}/.bash_profile`, "echo PROFILE-READ\n");
    const r = shell([flag, "echo hi"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("hi\n");
  });

  it("-ec stops at the first failure", () => {
    const r = shell(["-ec", "false; echo after"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
  });

  it("runs a script from stdin", () => {
    const r = shell([], "echo one\nexit 6\n");
    expect(r.stdout).toBe("one\n");
    expect(r.status).toBe(6);
  });

  it("runs a script file with its arguments", () => {
    const file = sb.file("s.sh");
    writeFileSync(file, 'echo "$0 $1"\n');
    const r = shell([file, "arg"]);
    expect(r.stdout).toBe(`${file} arg\n`);
  });

  it("judges scripts from stdin and files like any command line", () => {
    const target = sb.file("keep");
    writeFileSync(target, "x");
    expect(shell([], `echo fine\nshred -u '${target}'\n`).status).toBe(4);
    const file = sb.file("bad.sh");
    writeFileSync(file, `shred -u '${target}'\n`);
    expect(shell([file]).status).toBe(4);
    expect(existsSync(target)).toBe(true);
  });

  it("rejects unknown options without running anything", () => {
    const r = shell(["-Z", "-c", "echo ran"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
  });
});

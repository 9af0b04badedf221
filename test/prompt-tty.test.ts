// The ask prompt, driven through a real terminal (tmux): it appears on the terminal and never in the
// command's stdout or stderr; the word shown there runs the command; a wrong answer, a timeout or
// `yes |` on stdin does not; with no controlling terminal, ask becomes deny and the target is untouched.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildGuard,
  closedAfterEach,
  disposeGuard,
  exitStatus,
  exports,
  read,
  runInTerminal,
  sandbox,
  shq,
  Terminal,
} from "./exec-harness.ts";
import { NO_HUMAN_REASON } from "../src/act/prompt/ask.ts";

const guard = await buildGuard();
afterAll(() => disposeGuard(guard));
const open = closedAfterEach();

const WORD = /Type (\w+) +to allow it once/;

/** A sandbox with a directory of files to delete, and a terminal whose shell has the sandbox's env. */
function setup(timeout = 60) {
  const sb = sandbox({ timeout });
  const target = sb.file("project/data");
  mkdirSync(`${target}/sub`, { recursive: true });
  writeFileSync(`${target}/a.txt`, "a".repeat(1000));
  writeFileSync(`${target}/sub/b.txt`, "b".repeat(500));
  const term = new Terminal(sb.dir);
  open.push({ sb, term });
  term.run(`${exports({ ...sb.env, GUARD_SESSION: "tty-test" })}; cd ${shq(sb.project)}; clear`);
  const guardCmd = `node ${shq(guard)}`;
  return { sb, term, target, guardCmd };
}

function noPromptIn(file: string, word?: string): void {
  const text = read(file);
  expect(text).not.toContain("── guard ──");
  expect(text).not.toMatch(/Type \w+ +to allow/);
  if (word) expect(text).not.toContain(word);
}

describe("the prompt on the terminal", () => {
  it("shows the command, rule, preview and blast radius on the terminal only; the word runs the command", async () => {
    const { sb, term, target, guardCmd } = setup();
    const f = runInTerminal(term, sb, "ok", `${guardCmd} exec -- rm -rf ${shq(target)}`);
    const m = await term.waitForScreen(WORD);
    const screen = term.screen();
    expect(screen).toContain(`command   rm -rf ${target}`);
    expect(screen).toContain("test.ask-rm (ask): test rule that asks before every rm");
    expect(screen).toMatch(/data: directory, 2 files, 1\.5 KB/);
    expect(screen).toMatch(/blast +scope: 2 files, 1\.5 KB · reversibility: irreversible/);
    expect(existsSync(target)).toBe(true);
    const word = m[1] as string;
    term.run(word);
    expect(await exitStatus(f.rc)).toBe(0);
    expect(existsSync(target)).toBe(false);
    noPromptIn(f.out, word);
    noPromptIn(f.err, word);
    expect(await term.waitForScreen(/guard: allowed once/)).toBeTruthy();
  });

  it("restores the terminal mode after asking", async () => {
    const { sb, term, target, guardCmd } = setup();
    const f = runInTerminal(term, sb, "stty", `${guardCmd} exec -- rm -rf ${shq(target)}; stty -a`);
    const m = await term.waitForScreen(WORD);
    term.run(m[1] as string);
    expect(await exitStatus(f.rc)).toBe(0);
    expect(read(f.out)).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(read(f.out)).toMatch(/(^|\s)echo(\s|$)/m);
  });

  it("a wrong answer denies: the command does not run, exit 4, the agent is told the user declined", async () => {
    const { sb, term, target, guardCmd } = setup();
    const f = runInTerminal(term, sb, "wrong", `${guardCmd} exec -- rm -rf ${shq(target)}`);
    const m = await term.waitForScreen(WORD);
    term.run("yes");
    expect(await exitStatus(f.rc)).toBe(4);
    expect(existsSync(`${target}/a.txt`)).toBe(true);
    expect(read(f.err)).toContain("declined");
    noPromptIn(f.err, m[1]);
  });

  it("the word with extra text, or Esc, denies", async () => {
    const { sb, term, target, guardCmd } = setup();
    let f = runInTerminal(term, sb, "extra", `${guardCmd} exec -- rm -rf ${shq(target)}`);
    const m = await term.waitForScreen(WORD);
    term.run(`${m[1]} please`);
    expect(await exitStatus(f.rc)).toBe(4);
    term.run("clear");
    f = runInTerminal(term, sb, "esc", `${guardCmd} exec -- rm -rf ${shq(target)}`);
    await term.waitForScreen(WORD);
    term.keys("Escape");
    expect(await exitStatus(f.rc)).toBe(4);
    expect(existsSync(`${target}/a.txt`)).toBe(true);
  });

  it("edits the answer like a line: backspace and arrow keys do not answer", async () => {
    const { sb, term, target, guardCmd } = setup();
    const f = runInTerminal(term, sb, "edit", `${guardCmd} exec -- rm -rf ${shq(target)}`);
    const m = await term.waitForScreen(WORD);
    term.type("zz");
    term.keys("BSpace", "BSpace", "Left", "Up");
    term.run(m[1] as string);
    expect(await exitStatus(f.rc)).toBe(0);
    expect(existsSync(target)).toBe(false);
  });

  it("no answer before the timeout denies", async () => {
    const { sb, term, target, guardCmd } = setup(2);
    const f = runInTerminal(term, sb, "timeout", `${guardCmd} exec -- rm -rf ${shq(target)}`);
    await term.waitForScreen(WORD);
    expect(await exitStatus(f.rc)).toBe(4);
    expect(existsSync(`${target}/a.txt`)).toBe(true);
    expect(read(f.err)).toContain("Nobody confirmed this command in time");
    expect(term.screen()).toContain("no answer within 2 s: denied");
  });

  it("`yes |` on stdin answers nothing: the prompt waits for the terminal, then times out", async () => {
    const { sb, term, target, guardCmd } = setup(3);
    const f = runInTerminal(term, sb, "yes", `yes | ${guardCmd} exec -- rm -rf ${shq(target)}`);
    await term.waitForScreen(WORD);
    expect(await exitStatus(f.rc)).toBe(4);
    expect(existsSync(`${target}/a.txt`)).toBe(true);
    expect(term.screen()).not.toMatch(/^> y/m);
  });

  it("even the right word on stdin does not answer: only the terminal does", async () => {
    const { sb, term, target, guardCmd } = setup(3);
    const fifo = sb.file("stdin.fifo");
    spawnSync("mkfifo", [fifo]);
    const f = runInTerminal(term, sb, "fifo", `${guardCmd} exec -- rm -rf ${shq(target)} < ${shq(fifo)}`);
    const writer = openSync(fifo, "w");
    try {
      const m = await term.waitForScreen(WORD);
      writeSync(writer, `${m[1]}\n${m[1]}\n`);
      expect(await exitStatus(f.rc)).toBe(4);
    } finally {
      closeSync(writer);
    }
    expect(existsSync(`${target}/a.txt`)).toBe(true);
  });

  it("stdin still reaches the command once the human allows it", async () => {
    const { sb, term, target, guardCmd } = setup();
    const f = runInTerminal(
      term,
      sb,
      "stdin",
      `printf 'from-stdin' | ${guardCmd} exec -c ${shq(`rm -rf ${target} && cat`)}`,
    );
    const m = await term.waitForScreen(WORD);
    term.run(m[1] as string);
    expect(await exitStatus(f.rc)).toBe(0);
    expect(read(f.out)).toBe("from-stdin");
  });

  it("allow for N minutes remembers this exact command in this directory, and nothing else", async () => {
    const { sb, term, target, guardCmd } = setup();
    const cmd = `rm -rf ${shq(`${target}/sub`)}`;
    const f = runInTerminal(term, sb, "s1", `${guardCmd} exec -c ${shq(cmd)}`);
    const m = await term.waitForScreen(WORD);
    term.run(`${m[1]} 5`);
    expect(await exitStatus(f.rc)).toBe(0);
    expect(existsSync(`${target}/sub`)).toBe(false);
    expect(readFileSync(`${sb.stateDir}/approvals.json`, "utf8")).toContain(`${target}/sub`);
    // The same command again runs without a prompt (setsid: no terminal, so a prompt would deny).
    mkdirSync(`${target}/sub`);
    const again = spawnSync("setsid", ["-w", process.execPath, guard, "exec", "-c", cmd], {
      cwd: sb.project,
      env: { ...sb.env, GUARD_SESSION: "tty-test" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(again.status).toBe(0);
    expect(existsSync(`${target}/sub`)).toBe(false);
    // A different command, or another session, still asks.
    const other = spawnSync(
      "setsid",
      ["-w", process.execPath, guard, "exec", "-c", `rm -rf ${shq(`${target}/a.txt`)}`],
      { cwd: sb.project, env: { ...sb.env, GUARD_SESSION: "tty-test" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    expect(other.status).toBe(4);
    mkdirSync(`${target}/sub`);
    const otherSession = spawnSync("setsid", ["-w", process.execPath, guard, "exec", "-c", cmd], {
      cwd: sb.project,
      env: { ...sb.env, GUARD_SESSION: "someone-else" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(otherSession.status).toBe(4);
    expect(existsSync(`${target}/sub`)).toBe(true);
  });

  it("records what the human was shown and answered, without the word", async () => {
    const { sb, term, target, guardCmd } = setup();
    const f = runInTerminal(term, sb, "audit", `${guardCmd} exec -- rm -rf ${shq(target)}`);
    const m = await term.waitForScreen(WORD);
    term.run(m[1] as string);
    expect(await exitStatus(f.rc)).toBe(0);
    const log = readFileSync(`${sb.stateDir}/audit.jsonl`, "utf8");
    const entry = log
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as { kind: string; decision?: string; prompt?: { shown: string; answer: string } },
      )
      .find((e) => e.kind === "prompt");
    expect(entry?.decision).toBe("ask");
    expect(entry?.prompt?.answer).toBe("allow-once");
    expect(entry?.prompt?.shown).toContain(`rm -rf ${target}`);
    expect(entry?.prompt?.shown).toContain("Type <word>");
    expect(log).not.toContain(`Type ${m[1]}`);
  });
});

describe("no controlling terminal", () => {
  it("ask becomes deny, with a reason that tells the agent to stop and ask, and the target is untouched", () => {
    const sb = sandbox();
    open.push({ sb });
    const target = sb.file("project/keep");
    mkdirSync(target);
    writeFileSync(`${target}/f`, "x");
    const r = spawnSync("setsid", ["-w", process.execPath, guard, "exec", "--", "rm", "-rf", target], {
      cwd: sb.project,
      env: sb.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(r.status).toBe(4);
    const err = r.stderr.toString();
    expect(err).toContain(NO_HUMAN_REASON);
    expect(err).not.toMatch(/type|word|unlock|approve|allow|--force|GUARD_/i);
    expect(r.stdout.toString()).toBe("");
    expect(readFileSync(`${target}/f`, "utf8")).toBe("x");
  });

  it("guard shell denies the same way", () => {
    const sb = sandbox();
    open.push({ sb });
    const target = sb.file("project/keep2");
    writeFileSync(target, "x");
    const r = spawnSync("setsid", ["-w", process.execPath, guard, "shell", "-lc", `rm -f ${shq(target)}`], {
      cwd: sb.project,
      env: sb.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(r.status).toBe(4);
    expect(r.stderr.toString()).toContain(NO_HUMAN_REASON);
    expect(existsSync(target)).toBe(true);
  });
});

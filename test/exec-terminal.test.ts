// guard exec in the foreground of a real terminal (tmux): Ctrl-C reaches the command once (the terminal
// sends it to the whole process group; guard does not send it again), and the shell sees 130.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildGuard,
  closedAfterEach,
  disposeGuard,
  exitStatus,
  exports,
  runInTerminal,
  sandbox,
  shq,
  Terminal,
  waitFor,
  type Sandbox,
} from "./exec-harness.ts";

const guard = await buildGuard();
afterAll(() => disposeGuard(guard));
const open = closedAfterEach();

function setup() {
  const sb = sandbox();
  const term = new Terminal(sb.dir);
  open.push({ sb, term });
  term.run(`${exports(sb.env)}; cd ${shq(sb.project)}; clear`);
  return { sb, term };
}

/** Runs `line` as the terminal's foreground job; `done()` then asks the shell for its exit status. */
function job(term: Terminal, sb: Sandbox, tag: string, line: string): { done(): Promise<number> } {
  term.run(`${line} >${shq(sb.file(tag + ".out"))} 2>${shq(sb.file(tag + ".err"))}`);
  return {
    done: () => {
      // Typed after the job: the shell reads it once the job has ended.
      term.run(`echo $? >${shq(sb.file(tag + ".rc"))}`);
      return exitStatus(sb.file(tag + ".rc"));
    },
  };
}

describe("Ctrl-C", () => {
  it("interrupts the command; the shell sees 130", async () => {
    const { sb, term } = setup();
    const ready = sb.file("ready");
    const j = job(
      term,
      sb,
      "int",
      `node ${shq(guard)} exec -- sh -c ${shq(`: > ${shq(ready)}; exec sleep 600`)}`,
    );
    await waitFor(() => existsSync(ready), "the command to start");
    term.keys("C-c");
    expect(await j.done()).toBe(130);
  });

  it("reaches a command that handles it exactly once", async () => {
    const { sb, term } = setup();
    const ready = sb.file("ready");
    const stop = sb.file("stop");
    const log = sb.file("ints");
    const script = `trap 'echo int >> ${shq(log)}' INT; : > ${shq(ready)}; while [ ! -e ${shq(stop)} ]; do sleep 0.05; done; exit 5`;
    const j = job(term, sb, "once", `node ${shq(guard)} exec -- sh -c ${shq(script)}`);
    await waitFor(() => existsSync(ready), "the command to start");
    term.keys("C-c");
    await waitFor(() => existsSync(log), "the command to get SIGINT");
    // Give a second, forwarded SIGINT the chance to arrive before the command ends.
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(stop, "");
    expect(await j.done()).toBe(5);
    expect(readFileSync(log, "utf8")).toBe("int\n");
  });

  it("at the prompt, Ctrl-C denies", async () => {
    const { sb, term } = setup();
    const target = sb.file("project/keep");
    const f = runInTerminal(
      term,
      sb,
      "ctrlc-prompt",
      `mkdir ${shq(target)} && node ${shq(guard)} exec -- rm -r ${shq(target)}`,
    );
    await term.waitForScreen(/Type (\w+) +to allow it once/);
    term.keys("C-c");
    expect(await exitStatus(f.rc)).toBe(4);
    expect(existsSync(target)).toBe(true);
  });
});

describe("guard shell in a terminal", () => {
  it("refuses to be an interactive shell (nothing would be judged)", async () => {
    const { sb, term } = setup();
    const f = runInTerminal(term, sb, "interactive", `node ${shq(guard)} shell </dev/tty`);
    expect(await exitStatus(f.rc)).toBe(2);
    expect(readFileSync(f.err, "utf8")).toContain("not an interactive shell");
  });
});

// The kill switch and session bounds: anyone may lock guard down; then every judged command is denied
// until a human confirms `guard unlock` on the terminal. A session that hits its bounds is locked too.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
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
  type Sandbox,
} from "./exec-harness.ts";

const guard = await buildGuard();
afterAll(() => disposeGuard(guard));
const open = closedAfterEach();

function box(bounds?: string): Sandbox {
  const sb = sandbox(bounds ? { bounds } : {});
  open.push({ sb });
  return sb;
}

/** Runs guard without a controlling terminal, as an agent's tool call would. */
function agent(sb: Sandbox, args: string[], session = "s1"): SpawnSyncReturns<string> {
  return spawnSync("setsid", ["-w", process.execPath, guard, ...args], {
    cwd: sb.project,
    env: { ...sb.env, GUARD_SESSION: session },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function terminal(sb: Sandbox): Terminal {
  const term = new Terminal(sb.dir);
  open.push({ sb, term });
  term.run(`${exports(sb.env)}; cd ${shq(sb.project)}; clear`);
  return term;
}

async function unlockAtTerminal(sb: Sandbox, answer: (word: string) => string): Promise<number> {
  const term = terminal(sb);
  const f = runInTerminal(
    term,
    sb,
    `unlock-${Math.random().toString(36).slice(2)}`,
    `node ${shq(guard)} unlock`,
  );
  const m = await term.waitForScreen(/Type (\w+) to unlock/);
  term.run(answer(m[1] as string));
  const rc = await exitStatus(f.rc);
  expect(read(f.out) + read(f.err)).not.toContain(m[1] as string);
  term.kill();
  return rc;
}

describe("lockdown", () => {
  it("anyone may lock down, the agent included; then every command is denied", () => {
    const sb = box();
    const marker = sb.file("ran");
    expect(agent(sb, ["lockdown", "agent", "saw", "something"]).status).toBe(0);
    const r = agent(sb, ["exec", "--", "touch", marker]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain("guard.lockdown");
    expect(r.stderr).toContain("Stop and tell your user");
    expect(agent(sb, ["shell", "-c", `touch ${shq(marker)}`]).status).toBe(4);
    expect(existsSync(marker)).toBe(false);
    expect(agent(sb, ["lockdown", "--status"]).stdout).toContain("locked down since");
  });

  it("unlock needs a human at the terminal: without one it fails and guard stays locked", () => {
    const sb = box();
    agent(sb, ["lockdown"]);
    const r = agent(sb, ["unlock"]);
    expect(r.status).toBe(4);
    expect(agent(sb, ["exec", "--", "true"]).status).toBe(4);
  });

  it("a wrong word keeps guard locked; the word shown on the terminal unlocks it", async () => {
    const sb = box();
    agent(sb, ["lockdown", "test"]);
    expect(await unlockAtTerminal(sb, () => "nope")).toBe(4);
    expect(agent(sb, ["exec", "--", "true"]).status).toBe(4);
    expect(await unlockAtTerminal(sb, (w) => w)).toBe(0);
    expect(agent(sb, ["exec", "--", "true"]).status).toBe(0);
  });

  it("`yes |` cannot unlock", async () => {
    const sb = box();
    agent(sb, ["lockdown"]);
    const term = terminal(sb);
    const f = runInTerminal(term, sb, "yes-unlock", `yes | node ${shq(guard)} unlock`);
    await term.waitForScreen(/Type (\w+) to unlock/);
    term.keys("Escape");
    expect(await exitStatus(f.rc)).toBe(4);
    expect(agent(sb, ["exec", "--", "true"]).status).toBe(4);
  });
});

describe("session bounds", () => {
  it("too many denials in a row trip the breaker: the session is locked until a human unlocks", async () => {
    const sb = box("max_denials_in_row: 2\n");
    const target = sb.file("keep");
    writeFileSync(target, "x");
    expect(agent(sb, ["exec", "--", "true"]).status).toBe(0);
    expect(agent(sb, ["exec", "--", "shred", target]).status).toBe(4);
    const second = agent(sb, ["exec", "--", "shred", target]);
    expect(second.status).toBe(4);
    expect(second.stderr).toContain("reached its bounds");
    const after = agent(sb, ["exec", "--", "true"]);
    expect(after.status).toBe(4);
    expect(after.stderr).toContain("guard.session-bounds");
    // Another session is not affected.
    expect(agent(sb, ["exec", "--", "true"], "s2").status).toBe(0);
    expect(await unlockAtTerminal(sb, (w) => w)).toBe(0);
    expect(agent(sb, ["exec", "--", "true"]).status).toBe(0);
  });

  it("an allowed command resets the count of denials in a row", () => {
    const sb = box("max_denials_in_row: 2\n");
    const target = sb.file("keep");
    writeFileSync(target, "x");
    for (let i = 0; i < 3; i++) {
      expect(agent(sb, ["exec", "--", "shred", target]).status).toBe(4);
      expect(agent(sb, ["exec", "--", "true"]).status).toBe(0);
    }
  });

  it("a session may run at most max_commands commands", () => {
    const sb = box("max_commands: 3\n");
    for (let i = 0; i < 3; i++) expect(agent(sb, ["exec", "--", "true"]).status).toBe(0);
    const r = agent(sb, ["exec", "--", "true"]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain("used its 3 commands");
  });

  it("a broken bounds file fails closed", () => {
    const sb = box("max_commands: lots\n");
    const r = agent(sb, ["exec", "--", "true"]);
    expect(r.status).toBe(4);
  });
});

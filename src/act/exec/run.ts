// Runs the judged command as if guard were not there: the same stdin, stdout and stderr file
// descriptors, its exit code as guard's, and a death by signal re-raised on guard itself.
import { constants } from "node:os";
import { isatty } from "node:tty";
import { execa } from "execa";
import { procStat } from "../session/id.ts";

export interface RunSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Text for the command's stdin instead of guard's own (a shell script guard read from stdin). */
  readonly input?: string;
}

export type Ended = { readonly exitCode: number } | { readonly signal: NodeJS.Signals };

/** Signals a process usually gets from someone who means the command: passed on to it. */
const FORWARDED = ["SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM"] as const;
/** Sent by the terminal to the whole foreground process group, so the command gets them itself. */
const KEYBOARD = ["SIGINT", "SIGQUIT"] as const;

/**
 * True when guard and the command are the foreground process group of a terminal: a Ctrl-C or Ctrl-\
 * reaches the command directly, and forwarding it would deliver it twice (which makes programs with a
 * graceful first interrupt, such as terraform, abort hard).
 */
function keyboardReachesCommand(): boolean {
  const s = procStat();
  if (s) return s.ttyNr !== 0 && s.tpgid === s.pgrp;
  return isatty(0);
}

export async function runCommand(spec: RunSpec): Promise<Ended> {
  // Handlers go in before the command starts: a signal that arrives in between would otherwise meet
  // Node's default action and end guard without the command ever hearing of it.
  const target: { pid?: number } = {};
  const forwardKeyboard = !keyboardReachesCommand();
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of [...FORWARDED, ...KEYBOARD]) {
    const forward = FORWARDED.includes(sig as (typeof FORWARDED)[number]) || forwardKeyboard;
    const h = () => {
      if (forward && target.pid !== undefined) {
        try {
          process.kill(target.pid, sig);
        } catch {
          // it has just exited
        }
      }
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  const child = execa(spec.file, [...spec.args], {
    cwd: spec.cwd,
    // Files a non-interactive shell would source before the judged text: code nobody judged.
    env: { BASH_ENV: undefined, ENV: undefined },
    ...(spec.input !== undefined
      ? { input: spec.input, stdout: "inherit", stderr: "inherit" }
      : { stdio: "inherit" }),
    reject: false,
    cleanup: false,
    forceKillAfterDelay: false,
  });
  target.pid = child.pid;
  try {
    const r = await child;
    if (r.signal) return { signal: r.signal };
    if (typeof r.exitCode === "number") return { exitCode: r.exitCode };
    const code = (r as { code?: string }).code;
    process.stderr.write(
      `guard: ${spec.file}: ${code === "ENOENT" ? "command not found" : r.shortMessage}\n`,
    );
    return { exitCode: code === "ENOENT" ? 127 : 126 };
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}

/** Ends guard the way the command ended. */
export function endLike(ended: Ended): void {
  if ("exitCode" in ended) {
    process.exitCode = ended.exitCode;
    return;
  }
  // Should the signal not end guard (one Node keeps a handler for), exit as a shell reports a death by it.
  process.exitCode = 128 + (constants.signals[ended.signal] ?? 0);
  process.kill(process.pid, ended.signal);
}

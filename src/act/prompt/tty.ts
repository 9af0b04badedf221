// The controlling terminal, opened by path: the one channel an agent that only holds the command's
// stdin, stdout and stderr can neither read nor write. Input is read in raw mode with a small line
// editor, so the prompt works whatever mode the terminal was left in, and the mode is restored after.
import { sleepSync } from "../sleep.ts";
import { closeSync, openSync, writeSync } from "node:fs";
import { ReadStream, isatty } from "node:tty";

export type TtyRead =
  | { readonly kind: "line"; readonly text: string }
  | { readonly kind: "timeout" }
  | { readonly kind: "cancel" };

export interface Tty {
  write(text: string): void;
  /** One line typed by the human; "cancel" for Esc, Ctrl-C, Ctrl-D or a terminating signal. */
  readLine(timeoutMs: number): Promise<TtyRead>;
  close(): void;
}

const MAX_LINE = 80;
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;

/** The controlling terminal, or undefined when the process has none (setsid, a daemon, CI). */
export function openTty(): Tty | undefined {
  let rfd: number;
  let wfd: number;
  try {
    rfd = openSync("/dev/tty", "r");
  } catch {
    return undefined;
  }
  try {
    wfd = openSync("/dev/tty", "w");
  } catch {
    closeSync(rfd);
    return undefined;
  }
  if (!isatty(rfd)) {
    closeSync(rfd);
    closeSync(wfd);
    return undefined;
  }
  const input = new ReadStream(rfd);
  input.setRawMode(true);
  input.pause();
  let closed = false;

  const write = (text: string) => {
    const buf = Buffer.from(text.replace(/\r?\n/g, "\r\n"), "utf8");
    for (let off = 0; off < buf.length;) {
      try {
        off += writeSync(wfd, buf, off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return;
        sleepSync(5); // the terminal is not taking output (flow control): wait
      }
    }
  };

  const readLine = (timeoutMs: number) =>
    new Promise<TtyRead>((resolve) => {
      let line = "";
      const finish = (r: TtyRead) => {
        clearTimeout(timer);
        input.off("data", onData);
        input.off("end", onSignal);
        input.off("error", onSignal);
        for (const s of STOP_SIGNALS) process.off(s, onSignal);
        input.pause();
        resolve(r);
      };
      // A terminating signal, or the terminal hanging up, cancels.
      const onSignal = () => finish({ kind: "cancel" });
      const onData = (chunk: Buffer | string) => {
        const text = chunk.toString("utf8");
        for (let i = 0; i < text.length; i++) {
          const ch = text[i] as string;
          if (ch === "\r" || ch === "\n") {
            write("\n");
            return finish({ kind: "line", text: line });
          }
          if (ch === "\x1b" && (text[i + 1] === "[" || text[i + 1] === "O")) {
            // An arrow key or a bracketed-paste marker: skip the sequence up to its final byte.
            for (i += 2; i < text.length && !/[@-~]/.test(text[i] as string); i++);
            continue;
          }
          if (ch === "\x03" || ch === "\x04" || ch === "\x1b") {
            write("\n");
            return finish({ kind: "cancel" });
          }
          if (ch === "\x7f" || ch === "\b") {
            if (line.length) {
              line = line.slice(0, -1);
              write("\b \b");
            }
          } else if (ch === "\x15") {
            write("\b \b".repeat(line.length));
            line = "";
          } else if (ch >= " " && line.length < MAX_LINE) {
            line += ch;
            write(ch);
          }
        }
      };
      const timer = setTimeout(
        () => {
          write("\n");
          finish({ kind: "timeout" });
        },
        Math.max(0, timeoutMs),
      );
      for (const s of STOP_SIGNALS) process.on(s, onSignal);
      input.on("end", onSignal);
      input.on("error", onSignal);
      input.on("data", onData);
      input.resume();
    });

  const close = () => {
    if (closed) return;
    closed = true;
    try {
      input.setRawMode(false);
    } catch {
      // the terminal went away
    }
    input.destroy();
    try {
      closeSync(wfd);
    } catch {
      // already closed
    }
  };
  return { write, readLine, close };
}

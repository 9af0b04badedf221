// Runs the Python lease/inotify helper as a child and supervises it: a helper that stops answering
// pings (hung, or stopped with SIGSTOP) is killed within seconds, which drops its leases, so no
// reader waits on it for the kernel's 45 s lease-break time.
import { spawn, type ChildProcess } from "node:child_process";
import { ENV_HINTS } from "../proc.ts";
import type { ProcessInfo } from "../types.ts";
import { HELPER_PY } from "./helper-py.ts";

export type Backend = "lease" | "inotify" | "atime" | "none";

export type HelperEvent =
  | { type: "ready"; pid: number; backends: Record<string, Backend>; errors: Record<string, string> }
  | { type: "pong"; backends: Record<string, Backend> }
  | { type: "backend"; path: string; backend: Backend; error?: string | null }
  | { type: "changed"; path: string; event: "moved" | "deleted" }
  | {
      type: "read";
      path: string;
      mechanism: "lease" | "inotify";
      readers: ProcessInfo[][];
      env: Record<string, string>[];
      attribution: "exact" | "likely" | "none";
      nonblocking?: boolean;
      write?: boolean;
      ambiguous?: boolean;
      heldMs?: number;
      time: number;
    };

export interface HelperOptions {
  readonly python: string;
  readonly lease: boolean;
  /** Longest time one open is held while its reader is identified. */
  readonly holdMs: number;
  /** No pong for this long: the helper is killed. */
  readonly deadMs: number;
  readonly onEvent: (e: HelperEvent) => void;
  readonly onExit: (why: string) => void;
}

export class LeaseHelper {
  private child: ChildProcess | undefined;
  private ping: NodeJS.Timeout | undefined;
  private lastPong = Date.now();
  private stderr = "";
  private stopping = false;

  constructor(
    private readonly paths: readonly string[],
    private readonly opts: HelperOptions,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    // detached: its own process group, so a Ctrl-Z meant for the watcher does not stop the leases.
    const child = spawn(this.opts.python, ["-I", "-c", HELPER_PY], {
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.child = child;
    let buf = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const e = JSON.parse(line) as HelperEvent;
          if (e.type === "pong" || e.type === "ready") this.lastPong = Date.now();
          this.opts.onEvent(e);
        } catch {
          // Not JSON: ignore (the helper writes only JSON lines).
        }
      }
    });
    child.stderr
      ?.setEncoding("utf8")
      .on("data", (c: string) => (this.stderr = (this.stderr + c).slice(-2000)));
    child.stdin?.on("error", () => undefined);
    child.on("error", (e) => this.finish(`cannot run ${this.opts.python}: ${e.message}`));
    child.on("exit", (code, signal) =>
      this.finish(
        `helper exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim().split("\n").pop()}` : ""}`,
      ),
    );
    child.stdin?.write(
      JSON.stringify({
        paths: this.paths,
        lease: this.opts.lease,
        holdMs: this.opts.holdMs,
        envHints: ENV_HINTS,
      }) + "\n",
    );
    this.lastPong = Date.now();
    this.ping = setInterval(
      () => {
        if (Date.now() - this.lastPong > this.opts.deadMs) {
          this.child?.kill("SIGKILL");
          return;
        }
        this.child?.stdin?.write("ping\n");
      },
      Math.max(100, Math.floor(this.opts.deadMs / 3)),
    );
  }

  private finish(why: string): void {
    if (this.ping) clearInterval(this.ping);
    this.ping = undefined;
    const was = this.child;
    this.child = undefined;
    if (was && !this.stopping) this.opts.onExit(why);
  }

  /** Ends the helper: its leases are released before this resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (this.ping) clearInterval(this.ping);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((res) => child.once("exit", () => res()));
    child.stdin?.end();
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 1000);
    await exited;
    clearTimeout(timer);
  }
}

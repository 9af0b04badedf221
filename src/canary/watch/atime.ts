// The last-resort read signal (no Python, not Linux): poll each decoy's access time. Setting atime
// below mtime re-arms relatime, so the next read moves it again (canary.md §2.8). The reader is not
// known, and a noatime mount or an O_NOATIME reader defeats it.
import { readFileSync, statSync, utimesSync } from "node:fs";
import type { Backend } from "./helper.ts";

function noatimeMount(path: string): boolean {
  let best = "";
  let opts = "";
  let text: string;
  try {
    text = readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return false;
  }
  for (const line of text.split("\n")) {
    const f = line.split(" ");
    const mount = (f[4] ?? "").replace(/\\040/g, " ");
    if (
      mount &&
      (path === mount || path.startsWith(mount === "/" ? "/" : mount + "/")) &&
      mount.length >= best.length
    ) {
      best = mount;
      opts = f[5] ?? "";
    }
  }
  return opts.split(",").includes("noatime");
}

export class AtimePoller {
  private last = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  readonly backends: Record<string, Backend> = {};
  readonly errors: Record<string, string> = {};

  constructor(
    private readonly paths: readonly string[],
    private readonly onRead: (path: string) => void,
    private readonly intervalMs = 1000,
  ) {}

  private arm(path: string): void {
    const st = statSync(path);
    if (st.atimeMs >= st.mtimeMs) utimesSync(path, new Date(st.mtimeMs - 1000), st.mtime);
    this.last.set(path, statSync(path).atimeMs);
  }

  start(): void {
    for (const p of this.paths) {
      if (noatimeMount(p)) {
        this.backends[p] = "none";
        this.errors[p] = "mounted noatime: reads cannot be seen";
        continue;
      }
      try {
        this.arm(p);
        this.backends[p] = "atime";
      } catch (e) {
        this.backends[p] = "none";
        this.errors[p] = (e as Error).message;
      }
    }
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  private tick(): void {
    for (const [p, atime] of this.last) {
      try {
        if (statSync(p).atimeMs > atime) {
          this.onRead(p);
          this.arm(p);
        }
      } catch {
        // Gone or replaced: status reports it; keep polling the others.
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

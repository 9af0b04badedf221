// `guard canary watch`: alerts on any read of a watched decoy (L2). Back ends, best first: a kernel
// file lease (names the reader), inotify (fast, rarely names it), atime polling (neither). The first
// two run in the Python helper; atime polling here when the helper cannot run.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { recordAlert } from "../index.ts";
import { readInventory } from "../inventory.ts";
import { severityOf } from "../proc.ts";
import type { CanaryAlert, Decoy } from "../types.ts";
import { AtimePoller } from "./atime.ts";
import { clearWatcherStatus, readWatcherStatus, writeWatcherStatus, type WatcherStatus } from "./control.ts";
import { LeaseHelper, type HelperEvent } from "./helper.ts";

export interface WatchOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** False: inotify only (GNU tar and `grep -r` are refused by a lease; see canary.md §2.4). */
  readonly lease?: boolean;
  /** Forces the atime back end (tests; systems without Python). */
  readonly atime?: boolean;
  readonly holdMs?: number;
  readonly log?: (line: string) => void;
}

function findPython(env: NodeJS.ProcessEnv): string | undefined {
  if (process.platform !== "linux") return undefined;
  for (const dir of (env["PATH"] ?? "").split(delimiter))
    if (dir && existsSync(join(dir, "python3"))) return join(dir, "python3");
  return undefined;
}

type ReadEvent = Extract<HelperEvent, { type: "read" }>;

function detailOf(e: ReadEvent): string {
  if (e.nonblocking) {
    return e.attribution === "likely"
      ? "a non-blocking open was refused (the reader saw EAGAIN); the process is named from its arguments, which point at the decoy"
      : "a non-blocking open was refused (the reader saw EAGAIN: GNU tar, grep -r), or another user's process opened it: the reader is not known";
  }
  if (e.mechanism === "inotify")
    return e.readers.length
      ? "opened while no lease was held; named from the processes holding it open"
      : "opened while no lease was held; the reader exited before it could be named";
  const parts = [`held ${e.heldMs ?? 0} ms while the reader was named`];
  if (e.write) parts.push("opened for writing");
  if (e.ambiguous)
    parts.push("several decoys were opened at once: the reader may have opened another of them");
  return parts.join("; ");
}

export function alertsFromRead(e: ReadEvent, decoy: Decoy | undefined): CanaryAlert[] {
  const base = {
    time: new Date(e.time * 1000).toISOString(),
    how: "read" as const,
    mechanism: e.mechanism,
    decoy: decoy ? { path: decoy.path, id: decoy.id, kind: decoy.kind } : { path: e.path },
    detail: detailOf(e),
  };
  if (!e.readers.length) return [{ ...base, severity: "high", attribution: "none" }];
  return e.readers.map((chain, i) => {
    const hints = e.env[i] ?? {};
    return {
      ...base,
      severity: severityOf(chain, hints),
      ...(chain[0] ? { process: chain[0], ancestors: chain.slice(1) } : {}),
      attribution: e.attribution,
      ...(Object.keys(hints).length ? { envHints: hints } : {}),
    };
  });
}

export async function runWatcher(opts: WatchOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => undefined);
  const other = readWatcherStatus(env);
  if (other && other.pid !== process.pid) {
    log(`guard canary watch: already running (pid ${other.pid})`);
    return 1;
  }
  let status: WatcherStatus = {
    pid: process.pid,
    started: new Date().toISOString(),
    ready: false,
    files: {},
    errors: {},
    changed: {},
  };
  const save = (patch: Partial<WatcherStatus>) => {
    status = { ...status, ...patch };
    writeWatcherStatus(status, env);
  };
  save({});
  let decoys: Decoy[] = [];
  let helper: LeaseHelper | undefined;
  let poller: AtimePoller | undefined;
  let restarts: number[] = [];
  const decoyAt = (path: string) => decoys.find((d) => d.path === path);

  const alert = (a: CanaryAlert) => {
    try {
      recordAlert(a, env);
      log(
        `alert: ${a.decoy.path} ${a.how} by ${a.process ? `pid ${a.process.pid} ${a.process.comm ?? ""}` : "unknown"} (${a.mechanism})`,
      );
    } catch (e) {
      log(`cannot record an alert: ${(e as Error).message}`);
    }
  };
  const startAtime = (paths: string[], why: string) => {
    poller = new AtimePoller(paths, (p) =>
      alert({
        time: new Date().toISOString(),
        how: "read",
        mechanism: "atime",
        decoy: ((d) => (d ? { path: p, id: d.id, kind: d.kind } : { path: p }))(decoyAt(p)),
        severity: "high",
        attribution: "none",
        detail: "its access time moved: read within the last second by an unknown process",
      }),
    );
    poller.start();
    save({
      ready: true,
      files: poller.backends,
      errors: { ...poller.errors },
      ...(why ? { note: why } : {}),
    });
    log(`watching ${paths.length} decoy(s) by atime polling${why ? ` (${why})` : ""}`);
  };
  const onEvent = (e: HelperEvent) => {
    if (e.type === "ready") {
      save({ ready: true, helperPid: e.pid, files: e.backends, errors: e.errors });
      log(`watching ${Object.keys(e.backends).length} decoy(s): ${Object.values(e.backends).join(", ")}`);
    } else if (e.type === "pong") {
      if (JSON.stringify(e.backends) !== JSON.stringify(status.files)) save({ files: e.backends });
    } else if (e.type === "backend") {
      const errors = { ...status.errors };
      if (e.error) errors[e.path] = e.error;
      else delete errors[e.path];
      save({ files: { ...status.files, [e.path]: e.backend }, errors });
    } else if (e.type === "changed") save({ changed: { ...status.changed, [e.path]: e.event } });
    else if (e.type === "read") for (const a of alertsFromRead(e, decoyAt(e.path))) alert(a);
  };
  const start = () => {
    decoys = readInventory(env).decoys.filter((d) => d.watch && !d.pending);
    const paths = decoys.map((d) => d.path);
    if (!paths.length) {
      save({ ready: true, files: {}, errors: {} });
      log("nothing planted to watch; waiting (SIGHUP re-reads the inventory)");
      return;
    }
    const python = opts.atime ? undefined : findPython(env);
    if (!python)
      return startAtime(paths, opts.atime ? "" : "python3 is not available: the reader is never named");
    helper = new LeaseHelper(paths, {
      python,
      lease: opts.lease !== false,
      holdMs: opts.holdMs ?? 200,
      deadMs: 3000,
      onEvent,
      onExit: (why) => {
        helper = undefined;
        log(`lease helper stopped: ${why}`);
        restarts = [...restarts.filter((t) => t > Date.now() - 60_000), Date.now()];
        if (restarts.length > 5) return startAtime(paths, "the lease helper keeps failing");
        setTimeout(() => !helper && !poller && start(), 1000);
      },
    });
    helper.start();
  };
  const stopAll = async () => {
    poller?.stop();
    poller = undefined;
    const h = helper;
    helper = undefined;
    await h?.stop();
  };

  const keepAlive = setInterval(() => undefined, 60_000);
  start();
  return new Promise<number>((resolve) => {
    const stop = async () => {
      await stopAll();
      clearInterval(keepAlive);
      clearWatcherStatus(env);
      log("stopped");
      resolve(0);
    };
    process.once("SIGTERM", () => void stop());
    process.once("SIGINT", () => void stop());
    process.on("SIGHUP", () => {
      log("re-reading the inventory");
      void stopAll().then(() => {
        save({ ready: false, files: {}, errors: {}, changed: {} });
        start();
      });
    });
  });
}

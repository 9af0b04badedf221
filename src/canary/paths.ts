// Where guard canary keeps its state: one directory in guard's state dir, which self-protection
// treats as secret (an agent may neither read nor change it), and one settings file in the config dir.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { guardConfigDir, stateDir } from "../config/paths.ts";

export interface CanaryPaths {
  readonly dir: string;
  /** Every planted file with its hash and tokens: what `remove` restores from. */
  readonly inventory: string;
  /** Only the paths and tokens, for the hook's hot path. */
  readonly index: string;
  /** One JSON alert per line, append-only. */
  readonly alerts: string;
  /** Byte offset in alerts up to which the human has been shown the alerts. */
  readonly cursor: string;
  /** The running watcher: pid and the back end per file. */
  readonly watcher: string;
  /** What a detached watcher logs (start, back ends, alerts, errors). */
  readonly log: string;
  /** While `guard canary test` runs: its pid, so the alerts it causes are marked as tests. */
  readonly testRun: string;
  /** Webhook and desktop notification settings (in the config dir). */
  readonly settings: string;
}

export function canaryPaths(env: NodeJS.ProcessEnv = process.env): CanaryPaths {
  const dir = join(stateDir(env), "canary");
  return {
    dir,
    inventory: join(dir, "inventory.json"),
    index: join(dir, "index.json"),
    alerts: join(dir, "alerts.jsonl"),
    cursor: join(dir, "alerts.cursor"),
    watcher: join(dir, "watcher.json"),
    log: join(dir, "watcher.log"),
    testRun: join(dir, "test-run.json"),
    settings: join(guardConfigDir(env), "canary.json"),
  };
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Replaces `file` in one step (temp file + rename), mode 0600, so a reader never sees half a file. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

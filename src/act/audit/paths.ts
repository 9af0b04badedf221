// Where the audit trail lives: outside any project, in guard's XDG state directory.
import { join } from "node:path";
import { stateDir } from "../../config/paths.ts";

export interface AuditPaths {
  readonly dir: string;
  /** The log: one JSON entry per line. */
  readonly log: string;
  /** The last entry's seq and mac, keyed: detects a truncated tail. */
  readonly head: string;
  /** 32 random bytes, mode 0600; self-protection denies agents reading or changing it. */
  readonly key: string;
  readonly lock: string;
}

export function auditPaths(dir: string = stateDir()): AuditPaths {
  return {
    dir,
    log: join(dir, "audit.jsonl"),
    head: join(dir, "audit.head"),
    key: join(dir, "audit.key"),
    lock: join(dir, "audit.lock"),
  };
}

// `guard canary status`: what is planted and whether it is intact, what is watched and how, and the
// latest alerts. Reads metadata only (lstat): opening a decoy would trip the watcher.
import { existsSync, readFileSync } from "node:fs";
import { readAlerts } from "./alerts.ts";
import { alertSummary, tilde } from "./format.ts";
import { readInventory } from "./inventory.ts";
import { canaryPaths } from "./paths.ts";
import { decoyState, type DecoyState } from "./remove.ts";
import { readSettings } from "./settings.ts";
import type { CanaryAlert, Decoy } from "./types.ts";
import { readWatcherStatus, type WatcherStatus } from "./watch/control.ts";

export interface CanaryStatus {
  readonly decoys: { readonly decoy: Decoy; readonly state: DecoyState; readonly backend?: string }[];
  readonly watcher?: WatcherStatus;
  /** Tripwires run this; false when it no longer exists (guard moved or node upgraded). */
  readonly tripwireCommandOk: boolean;
  readonly alerts: {
    readonly total: number;
    readonly tests: number;
    readonly unseen: number;
    readonly latest: CanaryAlert[];
  };
  readonly webhook?: string;
}

function unseen(env: NodeJS.ProcessEnv): number {
  let from: number;
  try {
    from = Number(readFileSync(canaryPaths(env).cursor, "utf8").trim()) || 0;
  } catch {
    from = 0;
  }
  return readAlerts(env, from).alerts.filter((a) => !a.test).length;
}

export function canaryStatus(env: NodeJS.ProcessEnv = process.env): CanaryStatus {
  const inv = readInventory(env);
  const watcher = readWatcherStatus(env);
  const all = readAlerts(env).alerts;
  const webhook = readSettings(env).webhook;
  return {
    decoys: inv.decoys.map((d) => ({
      decoy: d,
      state: decoyState(d),
      ...(d.watch ? { backend: watcher?.files[d.path] ?? "not watched" } : {}),
    })),
    ...(watcher ? { watcher } : {}),
    tripwireCommandOk: inv.guard.every((p) => existsSync(p)),
    alerts: {
      total: all.length,
      tests: all.filter((a) => a.test).length,
      unseen: unseen(env),
      latest: all.slice(-5),
    },
    ...(webhook ? { webhook } : {}),
  };
}

export function statusText(s: CanaryStatus, home?: string): string {
  const out: string[] = [];
  if (!s.decoys.length) out.push("No decoys planted. Plant them with: guard canary plant");
  else {
    out.push(`Decoys (${s.decoys.length}):`);
    for (const { decoy: d, state, backend } of s.decoys) {
      const role = d.role === "tripwire" ? `tripwire (${d.trip})` : d.role;
      out.push(
        `  ${state.padEnd(8)} ${d.kind.padEnd(6)} ${tilde(d.path, home)}  [${role}${backend ? `, ${backend}` : ""}]`,
      );
    }
    if (!s.tripwireCommandOk)
      out.push(
        "  warning: the guard command the tripwires run no longer exists; re-plant (remove, then plant)",
      );
  }
  if (s.watcher) {
    const n = Object.values(s.watcher.files).filter((b) => b !== "none").length;
    out.push(
      `Watcher: running, pid ${s.watcher.pid} since ${s.watcher.started}; ${n} file(s) watched${s.watcher.note ? ` (${s.watcher.note})` : ""}`,
    );
    for (const [p, e] of Object.entries(s.watcher.errors)) out.push(`  ${tilde(p, home)}: ${e}`);
    for (const [p, e] of Object.entries(s.watcher.changed))
      out.push(`  ${tilde(p, home)} was ${e} while watched`);
  } else if (s.decoys.some((d) => d.decoy.watch))
    out.push("Watcher: not running (reads are not detected). Start it with: guard canary watch --detach");
  out.push(
    `Alerts: ${s.alerts.total - s.alerts.tests} (${s.alerts.unseen} not yet shown)${s.alerts.tests ? `, plus ${s.alerts.tests} from guard canary test` : ""}${s.webhook ? `; webhook ${s.webhook}` : ""}`,
  );
  for (const a of s.alerts.latest) out.push(`  ${alertSummary(a)}`);
  return out.join("\n") + "\n";
}

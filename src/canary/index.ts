// What the rest of guard uses of canaries: the decoy index for the hook's hot path, and alerts
// (record one; list the ones the human has not seen yet). No YAML, no watcher code: this is loaded
// on every hook call.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { appendAudit } from "../act/audit/append.ts";
import { stateDir } from "../config/paths.ts";
import { appendAlert, markAlertsShown, pendingAlerts } from "./alerts.ts";
import { alertSummary, tilde } from "./format.ts";
import { readInventory } from "./inventory.ts";
import { dispatch } from "./notify.ts";
import { canaryPaths } from "./paths.ts";
import { envHints, processChain, severityOf } from "./proc.ts";
import { readSettings } from "./settings.ts";
import type { CanaryAlert, Decoy } from "./types.ts";

export type {
  AlertHow,
  AlertMechanism,
  AlertSeverity,
  CanaryAlert,
  Decoy,
  DecoyIndex,
  DecoyKind,
  ProcessInfo,
} from "./types.ts";
export { pendingAlerts, markAlertsShown };
export { loadDecoyIndex } from "./decoys.ts";
export { alertSummary };

/** What the hook shows the human about unseen alerts (the last five, and how many more). */
export function alertNotice(alerts: readonly CanaryAlert[]): string | undefined {
  if (!alerts.length) return undefined;
  const shown = alerts.slice(-5).map((a) => `  ${alertSummary(a)}`);
  const more = alerts.length > 5 ? `\n  and ${alerts.length - 5} more: guard canary alerts` : "";
  return `guard: ${alerts.length === 1 ? "a decoy credential was" : `decoy credentials were`} touched:\n${shown.join("\n")}${more}`;
}

/** While `guard canary test` runs, alerts from its own children are tests. */
function isTestRun(alert: CanaryAlert, env: NodeJS.ProcessEnv): boolean {
  try {
    const run = JSON.parse(readFileSync(canaryPaths(env).testRun, "utf8")) as {
      pid?: number;
      until?: number;
    };
    if (!run.pid || !run.until || run.until < Date.now()) return false;
    const pids = [alert.process?.pid, ...(alert.ancestors ?? []).map((p) => p.pid)];
    return pids.includes(run.pid);
  } catch {
    return false;
  }
}

/**
 * Records an alert: the alert log (always), the audit trail, a desktop notification and the webhook.
 * Never throws for a notification; throws only when the alert log itself cannot be written.
 */
export function recordAlert(alert: CanaryAlert, env: NodeJS.ProcessEnv = process.env): void {
  const a: CanaryAlert = !alert.test && isTestRun(alert, env) ? { ...alert, test: true } : alert;
  appendAlert(a, env);
  try {
    appendAudit(
      {
        kind: "alert",
        host: "canary",
        ...(a.session ? { session: a.session } : {}),
        cwd: a.process?.cwd ?? "/",
        command: a.command ?? a.process?.argv?.join(" ") ?? "",
        reason: alertSummary(a),
        detail: { canary: a },
      },
      { dir: stateDir(env) },
    );
  } catch {
    // The alert log has it; `guard audit verify` reports a trail that cannot be written.
  }
  try {
    dispatch(a, readSettings(env), env);
  } catch {
    // Same: notifications are best effort.
  }
}

function mentions(text: string, d: Decoy, home: string): boolean {
  const forms = [
    d.path,
    tilde(d.path, home),
    d.path.replace(home + "/", "$HOME/"),
    d.path.replace(home + "/", "${HOME}/"),
  ];
  return (
    forms.some((f) => text.includes(f)) ||
    text.includes(basename(d.path)) ||
    d.tokens.some((t) => text.includes(t))
  );
}

/** The decoy a command line or tool input names (by path, ~ form, file name or token), if any. */
export function decoyReferencedBy(text: string, env: NodeJS.ProcessEnv = process.env): Decoy | undefined {
  try {
    const home = env["HOME"] ?? "";
    return readInventory(env).decoys.find((d) => mentions(text, d, home));
  } catch {
    return undefined;
  }
}

export interface Reference {
  /** The command line or the tool call, as the agent sent it. */
  readonly command: string;
  readonly mechanism: "hook" | "check";
  /** The decoy path or token that matched, when the caller knows it. */
  readonly path?: string;
  readonly session?: string;
  /** The process that asked: the agent's for the hook (default: this process's parent). */
  readonly pid?: number;
}

let caller: number | undefined;

/** For the judgment server: the process a call came from is the hook's caller, not this one's parent. */
export function attributeTo(pid: number | undefined): void {
  caller = pid;
}

/** Builds the alert for a command or tool call that references a decoy (L0). */
export function referenceAlert(ref: Reference, env: NodeJS.ProcessEnv = process.env): CanaryAlert {
  const decoy = decoyReferencedBy(ref.path ?? ref.command, env) ?? decoyReferencedBy(ref.command, env);
  const chain = processChain(ref.pid ?? caller ?? process.ppid);
  const hints = chain[0] ? envHints(chain[0].pid) : {};
  return {
    time: new Date().toISOString(),
    how: "referenced",
    mechanism: ref.mechanism,
    decoy: decoy
      ? { path: decoy.path, id: decoy.id, kind: decoy.kind }
      : { path: ref.path ?? "(a decoy token)" },
    severity: ref.mechanism === "hook" ? "critical" : severityOf(chain, hints),
    ...(chain[0] ? { process: chain[0], ancestors: chain.slice(1) } : {}),
    attribution: chain[0] ? "exact" : "none",
    ...(Object.keys(hints).length ? { envHints: hints } : {}),
    command: ref.command.slice(0, 4000),
    ...(ref.session ? { session: ref.session } : {}),
    detail:
      ref.mechanism === "hook"
        ? "an agent's tool call named the decoy; it was denied"
        : "`guard check` was asked about a command that names the decoy",
  };
}

// Optional per-session bounds: a maximum number of judged commands, and a breaker that trips after too
// many denials in a row (an agent that keeps hitting the rules is looking for a way around them). A
// tripped session is denied everything until a human runs `guard unlock` on the terminal.
//
// Configured in bounds.yaml next to the user config (guardConfigDir()) and the managed config; the
// stricter value of the two wins:
//   max_commands: 500
//   max_denials_in_row: 5
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { guardConfigDir, managedConfigPath } from "../../config/paths.ts";
import type { Decision } from "../../core/types.ts";
import { stateFile, updateState } from "./store.ts";

export interface Bounds {
  readonly maxCommands?: number;
  readonly maxDenialsInRow?: number;
}

export interface SessionCounters {
  commands: number;
  denialsInRow: number;
  /** Epoch milliseconds of the last command. */
  seen: number;
  tripped?: { readonly since: string; readonly reason: string };
}

type Sessions = Record<string, SessionCounters>;

const FORGET_AFTER_MS = 7 * 24 * 3600_000;

export function boundsFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  return [join(dirname(managedConfigPath(env)), "bounds.yaml"), join(guardConfigDir(env), "bounds.yaml")];
}

const KEYS = { max_commands: "maxCommands", max_denials_in_row: "maxDenialsInRow" } as const;

function stricter(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** `key: N` lines; read by hand, so the hook's hot path never loads a YAML parser for it. */
function parseBounds(text: string, file: string): Bounds {
  const out: { maxCommands?: number; maxDenialsInRow?: number } = {};
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const m = /^(\w+)\s*:\s*(\S*)$/.exec(line);
    const key = m && Object.hasOwn(KEYS, m[1] as string) ? KEYS[m[1] as keyof typeof KEYS] : undefined;
    if (!m || !key) throw new Error(`${file}:${i + 1}: expected max_commands: N or max_denials_in_row: N`);
    const n = Number(m[2]);
    if (!/^\d+$/.test(m[2] as string) || n < 1)
      throw new Error(`${file}:${i + 1}: ${m[1]} must be a whole number of at least 1`);
    out[key] = n;
  });
  return out;
}

/** The bounds in force. Throws on a broken file: the caller fails closed. */
export function readBounds(env: NodeJS.ProcessEnv = process.env): Bounds {
  let maxCommands: number | undefined;
  let maxDenialsInRow: number | undefined;
  for (const file of boundsFiles(env)) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const b = parseBounds(text, file);
    maxCommands = stricter(maxCommands, b.maxCommands);
    maxDenialsInRow = stricter(maxDenialsInRow, b.maxDenialsInRow);
  }
  return { ...(maxCommands ? { maxCommands } : {}), ...(maxDenialsInRow ? { maxDenialsInRow } : {}) };
}

export function sessionsFile(env: NodeJS.ProcessEnv = process.env): string {
  return stateFile("sessions.json", env);
}

export function readSessions(data: unknown): Sessions {
  return data && typeof data === "object" && !Array.isArray(data) ? (data as Sessions) : {};
}

/**
 * Counts one judged command of `session` with its final decision (after any prompt). Returns true when
 * this command tripped the session's breaker or used up its command budget.
 */
export function recordOutcome(
  session: string,
  decision: Decision,
  env: NodeJS.ProcessEnv = process.env,
  bounds: Bounds = readBounds(env),
): boolean {
  if (!bounds.maxCommands && !bounds.maxDenialsInRow) return false;
  let tripped = false;
  updateState(sessionsFile(env), (current) => {
    const now = Date.now();
    const all = readSessions(current);
    const kept: Sessions = {};
    for (const [k, s] of Object.entries(all)) if (s.tripped || now - s.seen < FORGET_AFTER_MS) kept[k] = s;
    const s: SessionCounters = kept[session] ?? { commands: 0, denialsInRow: 0, seen: now };
    s.commands++;
    s.denialsInRow = decision === "deny" ? s.denialsInRow + 1 : 0;
    s.seen = now;
    if (!s.tripped) {
      const reason =
        bounds.maxDenialsInRow && s.denialsInRow >= bounds.maxDenialsInRow
          ? `${s.denialsInRow} commands in a row were denied`
          : bounds.maxCommands && s.commands >= bounds.maxCommands
            ? `the session used its ${bounds.maxCommands} commands`
            : undefined;
      if (reason) {
        s.tripped = { since: new Date(now).toISOString(), reason };
        tripped = true;
      }
    }
    kept[session] = s;
    return kept;
  });
  return tripped;
}

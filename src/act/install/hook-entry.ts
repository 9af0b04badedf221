// The hook entry guard registers, and how to find it again among the user's own hooks.
import { isAbsolute, resolve } from "node:path";
import { shellQuote } from "../quote.ts";

export interface HookHandler {
  type: "command";
  command: string;
  timeout?: number;
  onFailure?: "block" | "continue";
  [k: string]: unknown;
}
export interface MatcherGroup {
  matcher?: string;
  hooks: HookHandler[];
  [k: string]: unknown;
}

/** The command line that runs this guard: absolute node and script paths, so PATH differences do not matter. */
export function guardCommand(host: "claude-code" | "codex", guardBin: string): string {
  const bin = isAbsolute(guardBin) ? guardBin : resolve(guardBin);
  const base = `${shellQuote(process.execPath)} ${shellQuote(bin)} hook ${host}`;
  // Codex runs a crashed hook's command anyway (fail-open); exit 2 with a reason on stderr blocks instead.
  if (host === "codex")
    return `${base} || { echo 'guard could not judge this tool call, so it is blocked' >&2; exit 2; }`;
  return base;
}

export function isGuardHandler(h: unknown, host: "claude-code" | "codex"): boolean {
  return (
    !!h &&
    typeof h === "object" &&
    typeof (h as HookHandler).command === "string" &&
    (h as HookHandler).command.includes(` hook ${host}`) &&
    /guard/.test((h as HookHandler).command)
  );
}

export interface MergeResult {
  readonly groups: MatcherGroup[];
  readonly changed: boolean;
  readonly groupIndex: number;
  readonly handlerIndex: number;
}

/** Puts guard's handler into a PreToolUse list: updates ours if present, else appends a group. */
export function mergePreToolUse(
  existing: unknown,
  handler: HookHandler,
  host: "claude-code" | "codex",
): MergeResult {
  const groups: MatcherGroup[] = Array.isArray(existing)
    ? (JSON.parse(JSON.stringify(existing)) as MatcherGroup[])
    : [];
  for (let g = 0; g < groups.length; g++) {
    const hooks = Array.isArray(groups[g]?.hooks) ? (groups[g] as MatcherGroup).hooks : [];
    const i = hooks.findIndex((h) => isGuardHandler(h, host));
    if (i >= 0) {
      const same = JSON.stringify(hooks[i]) === JSON.stringify(handler) && groups[g]?.matcher === "*";
      hooks[i] = handler;
      (groups[g] as MatcherGroup).matcher = "*";
      return { groups, changed: !same, groupIndex: g, handlerIndex: i };
    }
  }
  groups.push({ matcher: "*", hooks: [handler] });
  return { groups, changed: true, groupIndex: groups.length - 1, handlerIndex: 0 };
}

/** Removes guard's handlers (and groups left empty by that). */
export function removeFromPreToolUse(
  existing: unknown,
  host: "claude-code" | "codex",
): { groups: MatcherGroup[]; removed: number } {
  if (!Array.isArray(existing)) return { groups: [], removed: 0 };
  let removed = 0;
  const groups: MatcherGroup[] = [];
  for (const g of existing as MatcherGroup[]) {
    const hooks = Array.isArray(g?.hooks) ? g.hooks : [];
    const kept = hooks.filter((h) => !isGuardHandler(h, host));
    removed += hooks.length - kept.length;
    if (kept.length || hooks.length === 0) groups.push({ ...g, hooks: kept });
  }
  return { groups, removed };
}

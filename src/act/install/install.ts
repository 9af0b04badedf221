// guard install / uninstall: registers guard as the PreToolUse hook of Claude Code or Codex.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { codexHome } from "../guard-paths.ts";
import {
  codexHookHash,
  codexHookKey,
  readCodexTrust,
  removeCodexTrust,
  setCodexTrust,
} from "./codex-trust.ts";
import {
  guardCommand,
  isGuardHandler,
  mergePreToolUse,
  removeFromPreToolUse,
  type HookHandler,
  type MatcherGroup,
} from "./hook-entry.ts";
import { readJsonObject, writeJsonObject } from "./json-file.ts";

export type HostName = "claude-code" | "codex";
export type Scope = { kind: "user" } | { kind: "project"; dir: string };

export interface InstallReport {
  readonly host: HostName;
  readonly file: string;
  readonly changed: boolean;
  readonly lines: string[];
}

/** Seconds a host waits for the hook. Long enough for guard's own TTY prompt where guard asks itself. */
export function hookTimeout(host: HostName, promptTimeout: number, askStrategy: string): number {
  return host === "codex" || askStrategy === "tty" ? promptTimeout + 15 : 10;
}

export function settingsFile(host: HostName, scope: Scope, env: NodeJS.ProcessEnv): string {
  const home = env["HOME"] || "/";
  if (host === "claude-code")
    return scope.kind === "user"
      ? join(home, ".claude", "settings.json")
      : join(resolve(scope.dir), ".claude", "settings.json");
  return scope.kind === "user"
    ? join(codexHome(env), "hooks.json")
    : join(resolve(scope.dir), ".codex", "hooks.json");
}

function hooksOf(data: Record<string, unknown>): Record<string, unknown> {
  const h = data["hooks"];
  return h && typeof h === "object" && !Array.isArray(h) ? (h as Record<string, unknown>) : {};
}

export function install(
  host: HostName,
  scope: Scope,
  guardBin: string,
  timeout: number,
  env: NodeJS.ProcessEnv,
): InstallReport {
  const file = settingsFile(host, scope, env);
  const data = readJsonObject(file);
  const handler: HookHandler = { type: "command", command: guardCommand(host, guardBin), timeout };
  if (host === "claude-code") handler.onFailure = "block";
  const hooks = hooksOf(data);
  const merged = mergePreToolUse(hooks["PreToolUse"], handler, host);
  const lines: string[] = [];
  if (merged.changed) {
    writeJsonObject(file, { ...data, hooks: { ...hooks, PreToolUse: merged.groups } });
    lines.push(
      `${file}: PreToolUse hook for all tools -> ${handler.command} (timeout ${timeout}s${host === "claude-code" ? ", onFailure block" : ""})`,
    );
  } else lines.push(`${file}: already registered, unchanged`);
  let changed = merged.changed;
  if (host === "codex") {
    const key = codexHookKey(file, merged.groupIndex, merged.handlerIndex);
    const hash = codexHookHash({ matcher: "*", command: handler.command, timeout });
    const toml = join(codexHome(env), "config.toml");
    if (setCodexTrust(toml, key, hash)) {
      changed = true;
      lines.push(`${toml}: trusted the hook (${key} = ${hash.slice(0, 19)}...)`);
    } else lines.push(`${toml}: hook already trusted`);
    if (scope.kind === "project")
      lines.push(
        `note: Codex loads project hooks only in projects you trust in ${toml} ([projects."${resolve(scope.dir)}"] trust_level = "trusted")`,
      );
  }
  return { host, file, changed, lines };
}

export function uninstall(host: HostName, scope: Scope, env: NodeJS.ProcessEnv): InstallReport {
  const file = settingsFile(host, scope, env);
  if (!existsSync(file)) return { host, file, changed: false, lines: [`${file}: not present`] };
  const data = readJsonObject(file);
  const hooks = hooksOf(data);
  const before = hooks["PreToolUse"];
  const keys: string[] = [];
  if (Array.isArray(before))
    (before as MatcherGroup[]).forEach((g, gi) =>
      (Array.isArray(g?.hooks) ? g.hooks : []).forEach(
        (h, hi) => isGuardHandler(h, host) && keys.push(codexHookKey(file, gi, hi)),
      ),
    );
  const { groups, removed } = removeFromPreToolUse(before, host);
  const lines: string[] = [];
  if (removed) {
    const next: Record<string, unknown> = { ...hooks, PreToolUse: groups };
    if (groups.length === 0) delete next["PreToolUse"];
    const out: Record<string, unknown> = { ...data, hooks: next };
    if (Object.keys(next).length === 0) delete out["hooks"];
    writeJsonObject(file, out);
    lines.push(`${file}: removed guard's hook`);
  } else lines.push(`${file}: guard's hook was not registered`);
  if (host === "codex") {
    const toml = join(codexHome(env), "config.toml");
    for (const k of keys) if (removeCodexTrust(toml, k)) lines.push(`${toml}: removed the trust record ${k}`);
  }
  return { host, file, changed: removed > 0, lines };
}

export interface HostStatus {
  readonly host: HostName;
  readonly file: string;
  readonly registered: boolean;
  readonly trusted?: boolean;
  readonly command?: string;
}

export function hostStatus(host: HostName, scope: Scope, env: NodeJS.ProcessEnv): HostStatus {
  const file = settingsFile(host, scope, env);
  let data: Record<string, unknown>;
  try {
    data = readJsonObject(file);
  } catch {
    return { host, file, registered: false };
  }
  const groups = hooksOf(data)["PreToolUse"];
  if (!Array.isArray(groups)) return { host, file, registered: false };
  for (let g = 0; g < groups.length; g++) {
    const hooks = Array.isArray((groups[g] as MatcherGroup)?.hooks) ? (groups[g] as MatcherGroup).hooks : [];
    const i = hooks.findIndex((h) => isGuardHandler(h, host));
    if (i < 0) continue;
    const h = hooks[i] as HookHandler;
    if (host !== "codex") return { host, file, registered: true, command: h.command };
    const want = codexHookHash({
      matcher: (groups[g] as MatcherGroup).matcher,
      command: h.command,
      timeout: h.timeout,
    });
    const have = readCodexTrust(join(codexHome(env), "config.toml"), codexHookKey(file, g, i));
    return { host, file, registered: true, trusted: have === want, command: h.command };
  }
  return { host, file, registered: false };
}

// Codex runs a user or project hook only when config.toml records the hash of that exact hook entry.
// The hash is sha256 over the compact, key-sorted JSON of the normalized entry (hooks-protocol.md §2.2).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { writeAtomic } from "./json-file.ts";

export interface CodexHookIdentity {
  readonly matcher: string | undefined;
  readonly command: string;
  readonly timeout: number | undefined;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v && typeof v === "object")
    return (
      "{" +
      Object.keys(v)
        .sort()
        .map((k) => JSON.stringify(k) + ":" + canonical((v as Record<string, unknown>)[k]))
        .join(",") +
      "}"
    );
  return JSON.stringify(v);
}

export function codexHookHash(h: CodexHookIdentity): string {
  const identity: Record<string, unknown> = {
    event_name: "pre_tool_use",
    hooks: [{ type: "command", command: h.command, timeout: h.timeout ?? 600, async: false }],
  };
  if (h.matcher !== undefined) identity["matcher"] = h.matcher;
  return "sha256:" + createHash("sha256").update(canonical(identity)).digest("hex");
}

export function codexHookKey(sourceFile: string, group: number, handler: number): string {
  return `${sourceFile}:pre_tool_use:${group}:${handler}`;
}

function tomlString(s: string): string {
  return JSON.stringify(s);
}

function sectionHeader(key: string): string {
  return `[hooks.state.${tomlString(key)}]`;
}

/** Sets `trusted_hash` for one hook key in config.toml, leaving everything else as it was. */
export function setCodexTrust(configToml: string, key: string, hash: string): boolean {
  const text = existsSync(configToml) ? readFileSync(configToml, "utf8") : "";
  const header = sectionHeader(key);
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.trim() === header);
  const line = `trusted_hash = ${tomlString(hash)}`;
  if (at >= 0) {
    let end = at + 1;
    while (end < lines.length && !/^\s*\[/.test(lines[end] as string)) end++;
    const i = lines.slice(at + 1, end).findIndex((l) => /^\s*trusted_hash\s*=/.test(l));
    if (i >= 0) {
      if (lines[at + 1 + i] === line) return false;
      lines[at + 1 + i] = line;
    } else lines.splice(at + 1, 0, line);
  } else {
    if (lines.length && lines[lines.length - 1] !== "") lines.push("");
    lines.push(header, line, "");
  }
  writeAtomic(configToml, lines.join("\n"), 0o600);
  return true;
}

export function removeCodexTrust(configToml: string, key: string): boolean {
  if (!existsSync(configToml)) return false;
  const lines = readFileSync(configToml, "utf8").split("\n");
  const at = lines.findIndex((l) => l.trim() === sectionHeader(key));
  if (at < 0) return false;
  let end = at + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end] as string)) end++;
  lines.splice(at, end - at);
  writeAtomic(configToml, lines.join("\n"), 0o600);
  return true;
}

export function readCodexTrust(configToml: string, key: string): string | undefined {
  if (!existsSync(configToml)) return undefined;
  const lines = readFileSync(configToml, "utf8").split("\n");
  const at = lines.findIndex((l) => l.trim() === sectionHeader(key));
  if (at < 0) return undefined;
  for (let i = at + 1; i < lines.length && !/^\s*\[/.test(lines[i] as string); i++) {
    const m = /^\s*trusted_hash\s*=\s*"([^"]*)"/.exec(lines[i] as string);
    if (m) return m[1];
  }
  return undefined;
}

// Describes a process and its ancestors from /proc (Linux), or from ps(1) elsewhere, and judges
// from them how serious an alert is: an AI agent in the chain is critical, a backup tool is low.
import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";
import type { AlertSeverity, ProcessInfo } from "./types.ts";

/** Environment variables worth recording: who ran the process, never a secret. */
export const ENV_HINTS = [
  "CLAUDECODE",
  "CLAUDE_CODE_ENTRYPOINT",
  "CURSOR_TRACE_ID",
  "CURSOR_AGENT",
  "CODEX_SANDBOX",
  "CODEX_SANDBOX_NETWORK_DISABLED",
  "GEMINI_CLI",
  "AIDER_MODEL",
  "OPENCODE",
  "TERM_PROGRAM",
  "SSH_CONNECTION",
  "SUDO_USER",
  "AWS_PROFILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "KUBECONFIG",
  "DOCKER_CONFIG",
];

const AGENT_ENV =
  /^(CLAUDECODE|CLAUDE_CODE_ENTRYPOINT|CURSOR_TRACE_ID|CURSOR_AGENT|CODEX_SANDBOX.*|GEMINI_CLI|AIDER_MODEL|OPENCODE)$/;
const AGENTS =
  /^(claude|claude-code|cursor|cursor-agent|codex|aider|gemini|copilot|windsurf|cline|goose|opencode|amp|crush|qwen|openhands|kiro|junie)$/i;
const SWEEPERS =
  /^(rsync|restic|borg|tar|duplicity|rclone|kopia|rdiff-backup|deja-dup|tracker-miner-f|tracker-extract|tracker-extract-3|baloo_file|baloo_file_extr|clamd|clamscan|updatedb|plocate|mlocate)$/;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function link(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function fromProc(pid: number): ProcessInfo | undefined {
  const status = read(`/proc/${pid}/status`);
  if (status === undefined) return undefined;
  const ppid = Number(/^PPid:\s*(\d+)/m.exec(status)?.[1] ?? NaN);
  const uid = Number(/^Uid:\s*(\d+)/m.exec(status)?.[1] ?? NaN);
  const cmdline = read(`/proc/${pid}/cmdline`);
  const exe = link(`/proc/${pid}/exe`);
  const cwd = link(`/proc/${pid}/cwd`);
  return {
    pid,
    ...(Number.isFinite(ppid) ? { ppid } : {}),
    ...(Number.isFinite(uid) ? { uid } : {}),
    comm: (read(`/proc/${pid}/comm`) ?? "").trim(),
    ...(cmdline !== undefined ? { argv: cmdline.replace(/\0$/, "").split("\0") } : {}),
    ...(exe ? { exe } : {}),
    ...(cwd ? { cwd } : {}),
  };
}

function fromPs(pid: number): ProcessInfo | undefined {
  try {
    const out = execFileSync("ps", ["-o", "ppid=,uid=,comm=", "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const args = execFileSync("ps", ["-o", "args=", "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const m = /^(\d+)\s+(\d+)\s+(.*)$/.exec(out);
    if (!m) return undefined;
    return {
      pid,
      ppid: Number(m[1]),
      uid: Number(m[2]),
      comm: basename(m[3] as string),
      argv: args.split(/\s+/),
    };
  } catch {
    return undefined;
  }
}

export function describeProcess(pid: number): ProcessInfo | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return process.platform === "linux" ? fromProc(pid) : fromPs(pid);
}

/** The process and up to `depth - 1` ancestors, the process first. */
export function processChain(pid: number, depth = 8): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (let p = pid; p > 0 && out.length < depth;) {
    const info = describeProcess(p);
    if (!info) break;
    out.push(info);
    p = info.ppid ?? 0;
  }
  return out;
}

/** The allow-listed variables from the process's environment (same user only; empty elsewhere). */
export function envHints(pid: number): Record<string, string> {
  const text = read(`/proc/${pid}/environ`);
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const kv of text.split("\0")) {
    const eq = kv.indexOf("=");
    const k = kv.slice(0, eq);
    if (eq > 0 && ENV_HINTS.includes(k)) out[k] = kv.slice(eq + 1).slice(0, 200);
  }
  return out;
}

function names(p: ProcessInfo): string[] {
  const argv = p.argv ?? [];
  return [p.comm, p.exe, argv[0], argv[1]].filter((s): s is string => !!s).map((s) => basename(s));
}

export function isAgent(
  chain: readonly ProcessInfo[],
  hints: Readonly<Record<string, string>> = {},
): boolean {
  return (
    Object.keys(hints).some((k) => AGENT_ENV.test(k)) ||
    chain.some((p) => names(p).some((n) => AGENTS.test(n)))
  );
}

export function severityOf(
  chain: readonly ProcessInfo[],
  hints: Readonly<Record<string, string>> = {},
): AlertSeverity {
  if (isAgent(chain, hints)) return "critical";
  const first = chain[0];
  if (first && names(first).some((n) => SWEEPERS.test(n))) return "low";
  return "high";
}

// How an alert reads to a human: one line for notices and notifications, a block for `alerts`.
import { homedir } from "node:os";
import type { CanaryAlert, ProcessInfo } from "./types.ts";

export function tilde(path: string, home: string = process.env["HOME"] || homedir()): string {
  return home && home !== "/" && path.startsWith(home + "/") ? "~" + path.slice(home.length) : path;
}

export function processLabel(p: ProcessInfo | undefined): string {
  if (!p) return "unknown process";
  const argv = p.argv && p.argv.length ? p.argv.join(" ") : p.comm || "?";
  return `pid ${p.pid} (${argv.length > 120 ? argv.slice(0, 117) + "..." : argv})`;
}

const HOW: Record<CanaryAlert["how"], string> = { referenced: "referenced", read: "read", used: "used" };

/** `[critical] ~/.aws/credentials.bak read by pid 123 (cat ...) via lease at 12:00:01` */
export function alertSummary(a: CanaryAlert): string {
  const who = a.process
    ? `by ${processLabel(a.process)}`
    : a.attribution === "none"
      ? "by an unidentified process"
      : "";
  const agent = a.ancestors?.find((p) => p.comm && /claude|codex|cursor|aider|gemini/i.test(p.comm));
  const under = agent && agent.pid !== a.process?.pid ? `, under ${agent.comm} (pid ${agent.pid})` : "";
  return `[${a.severity}]${a.test ? " [test]" : ""} ${tilde(a.decoy.path)} ${HOW[a.how]} ${who}${under} via ${a.mechanism} at ${a.time}`;
}

export function alertBlock(a: CanaryAlert): string {
  const lines = [alertSummary(a)];
  if (a.detail) lines.push(`    ${a.detail}`);
  if (a.command)
    lines.push(`    command: ${a.command.length > 200 ? a.command.slice(0, 197) + "..." : a.command}`);
  if (a.process?.exe)
    lines.push(`    exe: ${a.process.exe}${a.process.cwd ? `  cwd: ${a.process.cwd}` : ""}`);
  if (a.ancestors?.length)
    lines.push(`    parents: ${a.ancestors.map((p) => `${p.comm || "?"}(${p.pid})`).join(" <- ")}`);
  if (a.envHints && Object.keys(a.envHints).length)
    lines.push(
      `    env: ${Object.entries(a.envHints)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
  return lines.join("\n");
}

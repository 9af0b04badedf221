// Turns any tool call into what guard judges: a shell command line, or the synthetic command line that
// has the same effect (Write = tee PATH, Read = cat PATH, apply_patch = tee/rm of each file).
import { shellJoin } from "../quote.ts";
import { HOOK_LIMITS, PayloadError, type HookPayload } from "./payload.ts";
import { patchEffects } from "../../resolve/patch.ts";
import { realTarget } from "./real-path.ts";

export { patchEffects };

export interface ToolJudgement {
  /** The command line to judge (real or synthetic). Empty when there is nothing to judge as shell. */
  readonly command: string;
  /** What the audit trail and the prompt show. */
  readonly display: string;
  /** An ask that comes from the tool itself (an MCP tool whose name says delete). */
  readonly askReason?: string;
  /** Every string in the tool input, to be searched for decoy tokens. */
  readonly strings: readonly string[];
}

function need(input: Readonly<Record<string, unknown>>, key: string, tool: string): string {
  const v = input[key];
  if (typeof v !== "string" || v === "") throw new PayloadError(`${tool} input has no ${key}`);
  return v;
}

function collectStrings(v: unknown, out: string[], depth = 0): void {
  if (depth > HOOK_LIMITS.maxDepth) throw new PayloadError("the tool input is nested too deeply");
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out, depth + 1);
  else if (v && typeof v === "object") for (const x of Object.values(v)) collectStrings(x, out, depth + 1);
}

function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const MCP_COMMAND_KEYS = /^(command|cmd|script|shell_?command|commandline|command_line)$/i;
const MCP_PATH_KEYS =
  /(^|_)(path|paths|file|files|filename|filepath|source|destination|dest|target|dir|directory)$/i;
const MCP_WRITE_WORDS = new Set([
  "write",
  "edit",
  "create",
  "move",
  "rename",
  "append",
  "save",
  "put",
  "upload",
  "patch",
  "update",
  "copy",
  "mkdir",
  "set",
]);
const MCP_DELETE_WORDS = new Set(["delete", "remove", "rm", "unlink", "trash"]);

/**
 * What an MCP tool's input says it will run or touch, as shell text to judge: a command it is handed
 * (`mcp__shell__run {command}`), and the paths it is given, read (`cat`), written (`tee`) or removed
 * (`rm`) as its name says. Empty when the input names neither.
 */
function mcpCommand(toolWords: readonly string[], input: Readonly<Record<string, unknown>>): string {
  const verb = toolWords.some((w) => MCP_DELETE_WORDS.has(w))
    ? ["rm", "-f"]
    : toolWords.some((w) => MCP_WRITE_WORDS.has(w))
      ? ["tee"]
      : ["cat"];
  const lines: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (MCP_COMMAND_KEYS.test(k) && typeof v === "string") lines.push(v);
    else if (MCP_COMMAND_KEYS.test(k) && Array.isArray(v) && v.every((x) => typeof x === "string"))
      lines.push(shellJoin(v as string[]));
    else if (MCP_PATH_KEYS.test(k)) {
      const paths = (Array.isArray(v) ? v : [v]).filter(
        (x): x is string => typeof x === "string" && x !== "",
      );
      for (const p of paths.slice(0, 16)) lines.push(shellJoin([...verb, p]));
    }
  }
  return lines.join("\n");
}

/** No command or path may hold a NUL: the shell would cut the text there, so guard would judge other text. */
function noNul(values: readonly unknown[], tool: string): void {
  if (values.some((v) => typeof v === "string" && v.includes("\u0000")))
    throw new PayloadError(`${tool} input contains a NUL character`);
}

/** A path argument that must be a string when given. */
function optionalPath(
  input: Readonly<Record<string, unknown>>,
  key: string,
  tool: string,
): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new PayloadError(`${tool} input has a ${key} that is not a string`);
  return v;
}

export function toolJudgement(p: HookPayload, mcpAskWords: readonly string[]): ToolJudgement {
  const input = p.toolInput;
  const strings: string[] = [];
  collectStrings(input, strings);
  const t = p.toolName;
  noNul(
    ["command", "file_path", "notebook_path", "path", "url", "pattern", "glob"].map((k) => input[k]),
    t,
  );
  const home = process.env["HOME"] || "/";
  /** The path, and where it really leads when symlinks along it point elsewhere. */
  const both = (path: string): string[] => {
    const real = realTarget(path, p.cwd, home);
    return real ? [path, real] : [path];
  };
  switch (t) {
    case "Bash":
    case "shell":
    case "exec_command":
    case "local_shell": {
      const raw = input["command"];
      if (
        Array.isArray(raw) &&
        (raw.length === 0 || raw.some((x) => typeof x !== "string" || x.includes("\u0000")))
      )
        throw new PayloadError(`${t} input has a command that is not a list of strings`);
      const command = Array.isArray(raw) ? shellJoin(raw as string[]) : need(input, "command", t);
      return { command, display: command, strings };
    }
    case "Write":
    case "Edit":
    case "MultiEdit": {
      const path = need(input, "file_path", t);
      return { command: shellJoin(["tee", ...both(path)]), display: `${t} ${path}`, strings };
    }
    case "NotebookEdit": {
      const path = need(input, "notebook_path", t);
      return { command: shellJoin(["tee", ...both(path)]), display: `${t} ${path}`, strings };
    }
    case "Read": {
      const path = need(input, "file_path", t);
      return { command: shellJoin(["cat", ...both(path)]), display: `Read ${path}`, strings };
    }
    case "Grep": {
      const path = optionalPath(input, "path", t) ?? ".";
      const pattern = typeof input["pattern"] === "string" ? (input["pattern"] as string) : "";
      const glob = optionalPath(input, "glob", t);
      const lines = [shellJoin(["grep", "-r", "--", pattern, ...both(path)])];
      // A glob narrows the search to files it names, which are read: `.env*` reads .env.
      if (glob)
        lines.push(`cat ${shellJoin([path.replace(/\/+$/, "")])}/${glob.replace(/[^\w*?[\]{},./-]/g, "")}`);
      return { command: lines.join("\n"), display: `Grep ${pattern} in ${path}`, strings };
    }
    case "Glob":
    case "LS": {
      const path = optionalPath(input, "path", t) ?? ".";
      return { command: shellJoin(["ls", ...both(path)]), display: `${t} ${path}`, strings };
    }
    case "WebFetch": {
      const url = need(input, "url", t);
      return { command: shellJoin(["curl", "-s", url]), display: `WebFetch ${url}`, strings };
    }
    case "apply_patch": {
      const patch = need(input, "command", t);
      const { writes, deletes } = patchEffects(patch);
      const parts = [
        ...writes.map((w) => shellJoin(["tee", ...both(w)])),
        ...deletes.map((d) => shellJoin(["rm", "-f", ...both(d)])),
      ];
      return {
        command: parts.join("\n"),
        display: `apply_patch ${[...writes, ...deletes].join(" ")}`,
        strings,
      };
    }
  }
  if (t.startsWith("mcp__")) {
    const ws = words(t.split("__").slice(2).join("_") || t);
    const hit = ws.find((w) => mcpAskWords.includes(w));
    return {
      command: mcpCommand(ws, input),
      display: t,
      strings,
      ...(hit ? { askReason: `the MCP tool ${t} may ${hit} data` } : {}),
    };
  }
  // A tool guard does not know that is handed a command: judge the command.
  const raw = input["command"];
  if (typeof raw === "string" && raw) return { command: raw, display: `${t} ${raw}`, strings };
  return { command: "", display: t, strings };
}

// Reads and validates a PreToolUse payload from an agent host. Anything malformed is refused, never guessed.
export const HOOK_LIMITS = {
  /** Bytes of stdin accepted; a larger payload is denied. */
  maxPayload: 1024 * 1024,
  /** Nesting depth of tool_input inspected for decoys. */
  maxDepth: 32,
} as const;

export interface HookPayload {
  readonly sessionId: string | undefined;
  readonly cwd: string;
  readonly toolName: string;
  readonly toolInput: Readonly<Record<string, unknown>>;
  readonly permissionMode: string | undefined;
  readonly agent: string | undefined;
  readonly toolUseId: string | undefined;
}

export class PayloadError extends Error {}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function parsePayload(raw: string): HookPayload {
  if (raw.length > HOOK_LIMITS.maxPayload)
    throw new PayloadError(`the hook input is larger than ${HOOK_LIMITS.maxPayload} bytes`);
  if (raw.includes("\u0000")) throw new PayloadError("the hook input contains a NUL byte");
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new PayloadError("the hook input is not valid JSON");
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new PayloadError("the hook input is not a JSON object");
  const o = data as Record<string, unknown>;
  const event = o["hook_event_name"];
  if (event !== "PreToolUse")
    throw new PayloadError(
      `unexpected hook event ${JSON.stringify(event ?? null).slice(0, 60)} (guard judges PreToolUse)`,
    );
  const toolName = str(o["tool_name"]);
  if (!toolName) throw new PayloadError("the hook input has no tool_name");
  const input = o["tool_input"];
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw new PayloadError("the hook input has no tool_input object");
  const cwd = str(o["cwd"]);
  if (!cwd || !cwd.startsWith("/")) throw new PayloadError("the hook input has no absolute cwd");
  const agent = [str(o["agent_type"]), str(o["agent_id"])].filter(Boolean).join(":") || undefined;
  return {
    sessionId: str(o["session_id"]),
    cwd,
    toolName,
    toolInput: input as Record<string, unknown>,
    permissionMode: str(o["permission_mode"]),
    agent,
    toolUseId: str(o["tool_use_id"]),
  };
}

// Answers an agent host in its own protocol.
export type Host = "claude-code" | "codex";

export interface HookReply {
  readonly stdout: string;
  readonly exitCode: number;
}

export function denyReply(reason: string, systemMessage?: string): HookReply {
  const out = {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: reason || "guard denied this tool call",
    },
    ...(systemMessage ? { systemMessage } : {}),
  };
  return { stdout: JSON.stringify(out) + "\n", exitCode: 0 };
}

export function askReply(reason: string, systemMessage?: string): HookReply {
  const out = {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "ask",
      permissionDecisionReason: reason,
    },
    ...(systemMessage ? { systemMessage } : {}),
  };
  return { stdout: JSON.stringify(out) + "\n", exitCode: 0 };
}

/** An explicit allow: Claude skips its own prompt; Codex does not support allow, so guard says nothing there. */
export function allowReply(host: Host, reason: string): HookReply {
  if (host === "codex") return { stdout: "", exitCode: 0 };
  return {
    stdout:
      JSON.stringify({
        hookSpecificOutput: {
          hookEventName: "PreToolUse",
          permissionDecision: "allow",
          permissionDecisionReason: reason,
        },
      }) + "\n",
    exitCode: 0,
  };
}

export function silentReply(systemMessage?: string): HookReply {
  return { stdout: systemMessage ? JSON.stringify({ systemMessage }) + "\n" : "", exitCode: 0 };
}

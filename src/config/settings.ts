// Settings that are not rules: prompt timeout, how each host resolves ask, MCP tool words that ask.
export interface Settings {
  /** Seconds before an unanswered prompt denies. */
  readonly promptTimeout: number;
  /** How each host resolves ask: its own dialog (native), guard's TTY prompt (tty), or deny. */
  readonly askStrategy: Readonly<Record<string, "native" | "tty" | "deny">>;
  /** MCP tool name words that ask by default. */
  readonly mcpAskWords: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = {
  promptTimeout: 60,
  askStrategy: { "claude-code": "native", codex: "tty", exec: "tty", shell: "tty" },
  mcpAskWords: [
    "delete",
    "drop",
    "destroy",
    "purge",
    "remove",
    "truncate",
    "wipe",
    "erase",
    "terminate",
    "kill",
    "reset",
    "force",
  ],
};

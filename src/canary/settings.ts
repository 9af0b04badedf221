// Where alerts go besides the alert log and the audit trail: a webhook and the desktop.
// Kept in guard's config dir (canary.json), which self-protection keeps agents from changing.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { canaryPaths, ensureDir, writeAtomic } from "./paths.ts";

export interface CanarySettings {
  /** POSTed a JSON alert (Slack-compatible `text` plus `alert`) for every alert. */
  readonly webhook?: string;
  /** When set, the POST carries `X-Guard-Signature: sha256=<HMAC of the body>`. */
  readonly webhookSecret?: string;
  /** Desktop notification (notify-send, osascript) where one is available. Default on. */
  readonly desktop: boolean;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): CanarySettings {
  try {
    const v = JSON.parse(readFileSync(canaryPaths(env).settings, "utf8")) as Partial<CanarySettings>;
    return {
      ...(typeof v.webhook === "string" && v.webhook ? { webhook: v.webhook } : {}),
      ...(typeof v.webhookSecret === "string" && v.webhookSecret ? { webhookSecret: v.webhookSecret } : {}),
      desktop: v.desktop !== false,
    };
  } catch {
    return { desktop: true };
  }
}

export function validWebhook(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:"
      ? undefined
      : "the webhook must be an http or https URL";
  } catch {
    return `not a URL: ${url}`;
  }
}

export function writeSettings(s: CanarySettings, env: NodeJS.ProcessEnv = process.env): void {
  const file = canaryPaths(env).settings;
  ensureDir(dirname(file));
  writeAtomic(file, JSON.stringify(s, null, 2) + "\n");
}

// Sends an alert off the machine's log: a desktop notification and a webhook POST. Both run as
// detached children, so the process that raised the alert (a hook, a tripwire) never waits on them.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { alertSummary } from "./format.ts";
import type { CanarySettings } from "./settings.ts";
import type { CanaryAlert } from "./types.ts";

// Runs in a fresh node: POST the body, 3 s timeout, optional HMAC, never prints.
const POST = `const u=new URL(process.env.GUARD_WEBHOOK_URL),b=process.env.GUARD_WEBHOOK_BODY,s=process.env.GUARD_WEBHOOK_SECRET;
const h={"content-type":"application/json","content-length":Buffer.byteLength(b),"user-agent":"guard-canary"};
if(s)h["x-guard-signature"]="sha256="+require("crypto").createHmac("sha256",s).update(b).digest("hex");
setTimeout(()=>process.exit(1),4000).unref();
const r=require(u.protocol==="https:"?"https":"http").request(u,{method:"POST",headers:h,timeout:3000},(res)=>{res.resume();res.on("end",()=>process.exit(0));});
r.on("timeout",()=>r.destroy());r.on("error",()=>process.exit(1));r.end(b);`;

function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  return (env["PATH"] ?? "").split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

function detached(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
  try {
    const child = spawn(cmd, args, { detached: true, stdio: "ignore", env });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // A notification that cannot start is not worth failing an alert for: the log has it.
  }
}

export function sendWebhook(
  alert: CanaryAlert,
  url: string,
  secret: string | undefined,
  env: NodeJS.ProcessEnv,
): void {
  const body = JSON.stringify({ text: `guard canary: ${alertSummary(alert)}`, alert });
  const childEnv: NodeJS.ProcessEnv = {
    PATH: env["PATH"] ?? "",
    GUARD_WEBHOOK_URL: url,
    GUARD_WEBHOOK_BODY: body,
  };
  if (secret) childEnv["GUARD_WEBHOOK_SECRET"] = secret;
  detached(process.execPath, ["-e", POST], childEnv);
}

export function sendDesktop(alert: CanaryAlert, env: NodeJS.ProcessEnv): void {
  const title = "guard: a decoy credential was touched";
  const body = alertSummary(alert);
  if (process.platform === "darwin") {
    const q = (s: string) => `"${s.replace(/["\\]/g, "\\$&")}"`;
    detached("osascript", ["-e", `display notification ${q(body)} with title ${q(title)}`], env);
  } else if (
    (env["DISPLAY"] || env["WAYLAND_DISPLAY"] || env["DBUS_SESSION_BUS_ADDRESS"]) &&
    onPath("notify-send", env)
  ) {
    detached("notify-send", ["-u", "critical", "-a", "guard", title, body], env);
  }
}

/** Fire-and-forget: returns at once. Test alerts are not sent anywhere. */
export function dispatch(alert: CanaryAlert, settings: CanarySettings, env: NodeJS.ProcessEnv): void {
  if (alert.test) return;
  if (settings.webhook) sendWebhook(alert, settings.webhook, settings.webhookSecret, env);
  if (settings.desktop) sendDesktop(alert, env);
}

// `guard canary ...`: plant, remove, status, alerts, watch, test, config; and the hidden `trip`
// that tripwire scripts run.
import { realpathSync } from "node:fs";
import type { Command } from "commander";
import { readAlerts } from "../canary/alerts.ts";
import { alertBlock, tilde } from "../canary/format.ts";
import { canaryPaths } from "../canary/paths.ts";
import { plant } from "../canary/plant.ts";
import { removeDecoys } from "../canary/remove.ts";
import { selfTest, selfTestText } from "../canary/selftest.ts";
import { readSettings, validWebhook, writeSettings } from "../canary/settings.ts";
import { canaryStatus, statusText } from "../canary/status.ts";
import { runTrip } from "../canary/trip.ts";
import { DECOY_KINDS, type DecoyKind } from "../canary/types.ts";
import { readWatcherStatus, reloadWatcher, startDetached, stopWatcher } from "../canary/watch/control.ts";
import { runWatcher } from "../canary/watch/watcher.ts";

/** How tripwires and the detached watcher run this guard: this node, this script. */
export function guardCommand(): string[] {
  const script = process.argv[1];
  if (!script) return [process.execPath];
  try {
    return [process.execPath, realpathSync(script)];
  } catch {
    return [process.execPath, script];
  }
}

const out = (text: string) => process.stdout.write(text);
const json = (v: unknown) => out(JSON.stringify(v, null, 2) + "\n");
const err = (text: string) => process.stderr.write(text);

function parseKinds(list: string | undefined): DecoyKind[] {
  if (!list) return [...DECOY_KINDS];
  const kinds = list
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = kinds.filter((k) => !(DECOY_KINDS as readonly string[]).includes(k));
  if (bad.length) throw new Error(`unknown kind ${bad.join(", ")}; kinds are ${DECOY_KINDS.join(", ")}`);
  return kinds as DecoyKind[];
}

function fail(e: unknown, what: string): void {
  err(`guard canary ${what}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}

export function registerCanary(program: Command): void {
  const canary = program
    .command("canary")
    .description("decoy credentials that alert when an agent or malware reads or uses them");

  canary
    .command("plant")
    .description("create decoy credentials (never overwrites or changes an existing file)")
    .option("--kinds <list>", `comma-separated: ${DECOY_KINDS.join(",")} (default: all)`)
    .option("--dir <dir>", "where project decoys (.env backups) go (default: HOME)")
    .option("--domain <name>", "the domain decoy hosts use; keep a TLD that never resolves", "corp.internal")
    .option("--docker-helper", "also plant docker's credential helper tripwire in your bin directory on PATH")
    .option("--json", "print JSON")
    .action((o: { kinds?: string; dir?: string; domain: string; dockerHelper?: boolean; json?: boolean }) => {
      try {
        const r = plant({
          kinds: parseKinds(o.kinds),
          ...(o.dir ? { dir: realpathSync(o.dir) } : {}),
          guard: guardCommand(),
          domain: o.domain,
          ...(o.dockerHelper ? { dockerHelper: true } : {}),
        });
        const reloaded = r.planted.length > 0 && reloadWatcher();
        if (o.json) return void json({ ...r, watcherReloaded: reloaded });
        for (const d of r.planted)
          out(`planted  ${tilde(d.path)}${d.role === "tripwire" ? `  (tripwire: ${d.trip})` : ""}\n`);
        for (const s of r.skipped) out(`skipped  ${s.path ? tilde(s.path) : s.kind}: ${s.reason}\n`);
        for (const n of r.notes) out(`note: ${n}\n`);
        if (!readWatcherStatus())
          out("Reads are detected only while the watcher runs: guard canary watch --detach\n");
        else if (reloaded) out("The running watcher now watches the new decoys.\n");
      } catch (e) {
        fail(e, "plant");
      }
    });

  canary
    .command("remove")
    .description("delete the decoys, byte-exact: an edited or replaced decoy is kept and reported")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      try {
        const stopped = await stopWatcher();
        const r = removeDecoys();
        if (o.json) return void json({ ...r, watcherStopped: stopped });
        if (stopped) out("stopped the watcher\n");
        for (const p of r.removed) out(`removed  ${tilde(p)}\n`);
        for (const p of r.missing) out(`missing  ${tilde(p)} (already gone)\n`);
        for (const k of r.kept) out(`kept     ${tilde(k.path)}: ${k.reason}\n`);
        for (const p of r.dirsRemoved) out(`removed  ${tilde(p)}/\n`);
        for (const k of r.dirsKept) out(`kept     ${tilde(k.path)}/: ${k.reason}\n`);
        if (r.kept.length) process.exitCode = 1;
      } catch (e) {
        fail(e, "remove");
      }
    });

  canary
    .command("status")
    .description("what is planted, what is watched, and the latest alerts")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) => {
      try {
        const s = canaryStatus();
        if (o.json) json(s);
        else out(statusText(s));
      } catch (e) {
        fail(e, "status");
      }
    });

  canary
    .command("alerts")
    .description("list alerts, oldest first")
    .option("--json", "print JSON")
    .option("--limit <n>", "the last N alerts", "50")
    .action((o: { json?: boolean; limit: string }) => {
      const all = readAlerts().alerts;
      const shown = all.slice(-Math.max(1, Number(o.limit) || 50));
      if (o.json) return void json(shown);
      if (!all.length) return void out("No alerts.\n");
      out(shown.map(alertBlock).join("\n") + "\n");
    });

  canary
    .command("watch")
    .description("alert on any read of a decoy, naming the process where the kernel allows (Linux)")
    .option("--detach", "run in the background")
    .option("--stop", "stop the running watcher")
    .option("--no-lease", "inotify only: never refuse a non-blocking open (GNU tar backups of HOME)")
    .option("--atime", "poll access times only (the weakest back end)")
    .option("--systemd-unit", "print a systemd user unit that runs the watcher")
    .action(
      async (o: {
        detach?: boolean;
        stop?: boolean;
        lease: boolean;
        atime?: boolean;
        systemdUnit?: boolean;
      }) => {
        if (o.systemdUnit) {
          const cmd = [...guardCommand(), "canary", "watch", ...(o.lease ? [] : ["--no-lease"])].join(" ");
          out(`# ~/.config/systemd/user/guard-canary.service; then: systemctl --user enable --now guard-canary
[Unit]
Description=guard canary watcher: alerts on reads of decoy credentials

[Service]
ExecStart=${cmd}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure

[Install]
WantedBy=default.target
`);
          return;
        }
        if (o.stop) {
          out((await stopWatcher()) ? "stopped\n" : "not running\n");
          return;
        }
        if (o.detach) {
          const running = readWatcherStatus();
          if (running) return void out(`already running (pid ${running.pid})\n`);
          const s = await startDetached(guardCommand(), process.env, [
            ...(o.lease ? [] : ["--no-lease"]),
            ...(o.atime ? ["--atime"] : []),
          ]);
          if (!s) return fail(new Error(`the watcher did not start; see ${canaryPaths().log}`), "watch");
          const counts = Object.values(s.files).reduce<Record<string, number>>(
            (m, b) => ({ ...m, [b]: (m[b] ?? 0) + 1 }),
            {},
          );
          return void out(
            `watching, pid ${s.pid}: ${
              Object.entries(counts)
                .map(([b, n]) => `${n} by ${b}`)
                .join(", ") || "nothing planted yet"
            }\n`,
          );
        }
        const log = (line: string) => err(`${new Date().toISOString()} ${line}\n`);
        process.exitCode = await runWatcher({ lease: o.lease, ...(o.atime ? { atime: true } : {}), log });
      },
    );

  canary
    .command("test")
    .description("touch each decoy in a controlled way and show that each layer alerts")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const results = await selfTest(guardCommand());
      if (o.json) json(results);
      else out(selfTestText(results));
      if (results.some((r) => r.outcome === "failed")) process.exitCode = 1;
    });

  canary
    .command("config")
    .description("where alerts are sent besides the log and the audit trail")
    .option("--webhook <url>", "POST each alert as JSON to URL")
    .option("--no-webhook", "stop sending alerts to a webhook")
    .option("--webhook-secret <secret>", "sign each POST (X-Guard-Signature: sha256=HMAC)")
    .option("--desktop <on|off>", "desktop notifications")
    .action((o: { webhook?: string | false; webhookSecret?: string; desktop?: string }) => {
      const s = readSettings();
      if (typeof o.webhook === "string" && validWebhook(o.webhook))
        return fail(new Error(validWebhook(o.webhook)), "config");
      if (o.desktop !== undefined && o.desktop !== "on" && o.desktop !== "off")
        return fail(new Error("--desktop takes on or off"), "config");
      const next = {
        ...(o.webhook === false
          ? {}
          : o.webhook
            ? { webhook: o.webhook }
            : s.webhook
              ? { webhook: s.webhook }
              : {}),
        ...(o.webhookSecret
          ? { webhookSecret: o.webhookSecret }
          : s.webhookSecret && o.webhook !== false
            ? { webhookSecret: s.webhookSecret }
            : {}),
        desktop: o.desktop === undefined ? s.desktop : o.desktop === "on",
      };
      if (o.webhook !== undefined || o.webhookSecret || o.desktop) writeSettings(next);
      out(
        `webhook: ${next.webhook ?? "none"}${next.webhookSecret ? " (signed)" : ""}\ndesktop: ${next.desktop ? "on" : "off"}\n`,
      );
    });

  canary
    .command("trip", { hidden: true })
    .argument("<id>")
    .argument("[args...]")
    .allowUnknownOption()
    .helpOption(false)
    .action((id: string, args: string[]) => {
      process.exitCode = runTrip(id, args);
    });
}

// `guard canary trip <id>`: run by a credential tool through its own plug-in point (L1) when a decoy
// is used. Its parent is that tool, so the alert names the process every time. It answers in the
// tool's protocol, writes nothing to stderr (kubectl and ssh pass a plug-in's stderr to the terminal),
// and exits at once.
import { readFileSync } from "node:fs";
import { readInventory } from "./inventory.ts";
import { recordAlert } from "./index.ts";
import { envHints, processChain, severityOf } from "./proc.ts";
import { randomFrom, tokens } from "./tokens.ts";
import type { CanaryAlert, Decoy, TripProtocol } from "./types.ts";

export interface TripReply {
  readonly stdout: string;
  readonly exitCode: number;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** What the tool is told. AWS: a failed helper (no fake keys are sent to AWS). kubectl: a token for a
 * cluster that does not resolve. ssh: a proxy that closed the connection. docker: a decoy secret. */
export function tripReply(
  protocol: TripProtocol,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin: () => string,
): TripReply {
  switch (protocol) {
    case "aws":
      return { stdout: "", exitCode: 1 };
    case "kube": {
      let apiVersion = "client.authentication.k8s.io/v1beta1";
      try {
        const info = JSON.parse(env["KUBERNETES_EXEC_INFO"] ?? "{}") as { apiVersion?: unknown };
        if (typeof info.apiVersion === "string") apiVersion = info.apiVersion;
      } catch {
        // Keep the version the kubeconfig asks for.
      }
      const token = `eyJhbGciOiJSUzI1NiIsImtpZCI6I${randomFrom(B64URL, 40)}.${randomFrom(B64URL, 180)}.${randomFrom(B64URL, 86)}`;
      const expirationTimestamp = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
      return {
        stdout:
          JSON.stringify({
            kind: "ExecCredential",
            apiVersion,
            spec: { interactive: false },
            status: { expirationTimestamp, token },
          }) + "\n",
        exitCode: 0,
      };
    }
    case "ssh":
      return { stdout: "", exitCode: 0 };
    case "docker": {
      if (args[0] === "list") return { stdout: "{}\n", exitCode: 0 };
      if (args[0] !== "get") return { stdout: "", exitCode: 0 };
      const server = stdin().trim();
      return {
        stdout: JSON.stringify({ ServerURL: server, Username: "deploy", Secret: tokens.dockerPat() }) + "\n",
        exitCode: 0,
      };
    }
  }
}

const VIA: Record<TripProtocol, string> = {
  aws: "the AWS credential_process helper ran",
  kube: "the kubeconfig exec credential plugin ran",
  ssh: "the ssh ProxyCommand for the decoy host ran",
  docker: "the docker credential helper ran",
};

function protocolOf(id: string, d: Decoy | undefined): TripProtocol {
  if (d?.trip) return d.trip;
  const prefix = id.split("-")[0];
  return prefix === "kube" || prefix === "ssh" || prefix === "docker" ? prefix : "aws";
}

export function tripAlert(
  id: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { alert: CanaryAlert; protocol: TripProtocol } {
  let decoys: readonly Decoy[] = [];
  try {
    decoys = readInventory(env).decoys;
  } catch {
    // An unreadable inventory still gives an alert, for an unknown decoy.
  }
  const wire = decoys.find((d) => d.id === id);
  const used = decoys.find((d) => d.refersTo?.includes(id)) ?? wire;
  const protocol = protocolOf(id, wire);
  const chain = processChain(process.ppid);
  const hints = chain[0] ? envHints(chain[0].pid) : {};
  const alert: CanaryAlert = {
    time: new Date().toISOString(),
    how: "used",
    mechanism: "tripwire",
    decoy: used ? { path: used.path, id: used.id, kind: used.kind } : { path: `(unknown decoy ${id})` },
    severity: severityOf(chain, hints),
    ...(chain[0] ? { process: chain[0], ancestors: chain.slice(1) } : {}),
    attribution: chain[0] ? "exact" : "none",
    ...(Object.keys(hints).length ? { envHints: hints } : {}),
    detail: `${VIA[protocol]}${args.length ? ` (${args.join(" ").slice(0, 200)})` : ""}${wire ? "" : `; tripwire ${id} is not in the inventory`}`,
  };
  return { alert, protocol };
}

/** Never throws and never writes to stderr: whatever fails, the tool gets its answer. */
export function runTrip(id: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  let protocol: TripProtocol = "aws";
  try {
    const t = tripAlert(id, args, env);
    protocol = t.protocol;
    recordAlert(t.alert, env);
  } catch {
    // Nothing may reach the tool's stderr; the missing alert shows in `guard canary test`.
  }
  const reply = tripReply(protocol, args, env, () => {
    try {
      return readFileSync(0, "utf8");
    } catch {
      return "";
    }
  });
  if (reply.stdout) process.stdout.write(reply.stdout);
  return reply.exitCode;
}

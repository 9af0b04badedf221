// Where guard's own files and the hosts' hook settings live: what self-protection covers.
import { join, resolve, dirname, sep } from "node:path";
import { guardConfigDir, stateDir, MANAGED_CONFIG } from "../config/paths.ts";

/** The installed package's root, when guard runs from an install (not from a development checkout). */
function installedRoot(): string | undefined {
  if (typeof __dirname === "undefined") return undefined;
  const root = resolve(__dirname, "..");
  return root.split(sep).includes("node_modules") ? root : undefined;
}

export function codexHome(env: NodeJS.ProcessEnv): string {
  return env["CODEX_HOME"] || join(env["HOME"] || "/", ".codex");
}

export function protectedPaths(env: NodeJS.ProcessEnv, projectRoot: string): string[] {
  const home = env["HOME"] || "/";
  const codex = codexHome(env);
  const paths = [
    guardConfigDir(env),
    stateDir(env),
    dirname(MANAGED_CONFIG),
    join(home, ".claude", "settings*.json"),
    join(projectRoot, ".claude", "settings*.json"),
    "/etc/claude-code",
    join(codex, "hooks.json"),
    join(codex, "config.toml"),
    join(projectRoot, ".codex"),
    join(projectRoot, ".guard"),
    join(projectRoot, ".guard.yaml"),
  ];
  const root = installedRoot();
  if (root) paths.push(root);
  return paths;
}

export function secretPaths(env: NodeJS.ProcessEnv): string[] {
  const state = stateDir(env);
  return [
    join(state, "audit.key"),
    // The judgment server's pipes: reading them steals a hook call (and its environment).
    join(state, "server"),
    join(state, "canary"),
    join(state, "canary.json"),
    join(state, "decoys.json"),
  ];
}

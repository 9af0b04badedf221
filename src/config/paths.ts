// Where guard keeps its configuration and state (XDG), and where config files are looked for.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export function configHome(env: NodeJS.ProcessEnv = process.env): string {
  return env["XDG_CONFIG_HOME"] || join(env["HOME"] || homedir(), ".config");
}

export function guardConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), "guard");
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env["XDG_STATE_HOME"] || join(env["HOME"] || homedir(), ".local", "state"), "guard");
}

/** Where guard's judgment server (src/cli/serve.ts) keeps its pipes and pid. */
export function serverDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), "server");
}

export const MANAGED_CONFIG = "/etc/guard/config.yaml";
export const PROJECT_CONFIG_NAMES = [".guard/config.yaml", ".guard.yaml"];

export function managedConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env["GUARD_MANAGED_CONFIG"] ?? MANAGED_CONFIG;
}

/** True when any config layer exists, so the YAML parser is loaded only then. */
export function anyConfigFile(projectRoot: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    existsSync(managedConfigPath(env)) ||
    existsSync(join(guardConfigDir(env), "config.yaml")) ||
    PROJECT_CONFIG_NAMES.some((n) => existsSync(join(projectRoot, n)))
  );
}

// Hot-path stand-in for loader.ts: the YAML parser lives in dist/config.cjs and is loaded on demand.
import { join } from "node:path";
import type * as Load from "./load.ts";

export const loadConfig: typeof Load.loadConfig = (projectRoot, env) => {
  // A runtime path, deliberately outside the bundle: the YAML parser loads only when a config file exists.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(__dirname, "config.cjs")) as typeof Load;
  return mod.loadConfig(projectRoot, env);
};

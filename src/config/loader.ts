// The config loader as the engine sees it. In the hot-path bundle this module is swapped (by the build)
// for loader-bundled.ts, which loads the YAML parser from a separate file only when a config file exists.
export { loadConfig } from "./load.ts";

// Entry point of the hot path bundle (dist/fast.cjs): agent hooks, `guard check` and the judgment
// server. bin/guard calls runFast with the arguments (and the hook input when it already read it).
export { runFast } from "./fast-main.ts";

// Entry point of the hot path bundle (dist/fast.cjs): agent hooks and `guard check`.
import { runFast } from "./fast-main.ts";

runFast(process.argv.slice(2));

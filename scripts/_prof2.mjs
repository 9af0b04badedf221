import { devEngine } from "./dev-engine.mjs";
import { readdirSync, readFileSync } from "node:fs";
const dev = await devEngine();
const cmds = readdirSync("test/corpus").filter((f) => f.endsWith(".jsonl")).flatMap((f) => readFileSync("test/corpus/" + f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).cmd));
for (let k = 0; k < 2; k++) for (const c of cmds) dev.judge(c);
const t = performance.now();
for (let k = 0; k < 3; k++) for (const c of cmds) dev.judge(c);
console.log("per cmd us", ((performance.now() - t) * 1000 / (3 * cmds.length)).toFixed(1));

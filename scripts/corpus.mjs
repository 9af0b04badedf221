// Scores the accuracy corpus (test/corpus/*.jsonl) from source and lists misses and false blocks.
// node scripts/corpus.mjs [files...] [--quiet]
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { devEngine } from "./dev-engine.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quiet = args.includes("--quiet");
const dir = join(root, "test/corpus");
const files = args.filter((a) => !a.startsWith("--"));
const list = files.length
  ? files
  : readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .map((f) => join(dir, f));
const dev = await devEngine();
let dangerous = 0,
  caught = 0,
  safe = 0,
  falseBlocks = 0,
  strictMiss = 0;
for (const f of list) {
  const lines = readFileSync(f.includes("/") ? f : join(dir, f), "utf8")
    .split("\n")
    .filter((l) => l.trim());
  for (const line of lines) {
    const c = JSON.parse(line);
    const v = dev.judge(c.cmd);
    const d = v.decision;
    const blocked = d === "deny" || d === "ask";
    const why = v.hits.map((h) => h.id).join(",");
    if (c.expect === "pass") {
      safe++;
      if (blocked) {
        falseBlocks++;
        if (!quiet) console.log(`FALSE-BLOCK ${d} [${why}] ${JSON.stringify(c.cmd)}`);
      }
    } else {
      dangerous++;
      if (blocked) caught++;
      else if (!quiet) console.log(`MISS (${c.expect}) ${JSON.stringify(c.cmd)}`);
      if (c.expect === "deny" && d === "ask") {
        strictMiss++;
        if (!quiet) console.log(`WEAK ask<deny [${why}] ${JSON.stringify(c.cmd)}`);
      }
    }
  }
}
console.log(
  `caught ${caught}/${dangerous} dangerous (${((100 * caught) / Math.max(1, dangerous)).toFixed(1)}%), ask where deny expected ${strictMiss}; false blocks ${falseBlocks}/${safe} safe (${((100 * falseBlocks) / Math.max(1, safe)).toFixed(1)}%)`,
);

import { devEngine } from "./dev-engine.mjs";
const dev = await devEngine();
const packs = dev.packs;
const cmd = process.argv[2] ?? "git status && npm test";
for (const drop of [[], ["secrets"], ["secrets", "git"], ["secrets", "git", "exfiltration"]]) {
  const engine = dev.makeEngine(dev.buildRuleSet(packs.filter((p) => !drop.includes(p.name))));
  const t = performance.now();
  dev.evaluate(cmd, dev.EXAMPLE_CONTEXT, engine);
  const t1 = performance.now();
  dev.evaluate(cmd, dev.EXAMPLE_CONTEXT, engine);
  console.log("without", drop.join(",") || "-", (t1 - t).toFixed(2), (performance.now() - t1).toFixed(2));
}

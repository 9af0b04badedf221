// Shows how guard judges command lines, from source: node scripts/try.mjs 'cmd' ['cmd' ...]
import { devEngine } from "./dev-engine.mjs";

const dev = await devEngine();
for (const cmd of process.argv.slice(2))
  process.stdout.write(dev.verdictText(cmd, dev.judge(cmd), true) + "\n");

// Loads the engine from source (rules read from rules/*.yaml) for the developer scripts.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function devEngine() {
  const out = await build({
    stdin: {
      contents: `
        export { packsFromDir } from "./src/rules/disk.ts";
        export { buildRuleSet } from "./src/config/ruleset.ts";
        export { evaluate, makeEngine } from "./src/core/evaluate.ts";
        export { EXAMPLE_CONTEXT } from "./src/rules/examples.ts";
        export { verdictJson } from "./src/act/report.ts";
        export { verdictText } from "./src/act/report-text.ts";
      `,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    logLevel: "error",
  });
  const dir = mkdtempSync(join(tmpdir(), "guard-dev-"));
  const file = join(dir, "engine.cjs");
  writeFileSync(file, out.outputFiles[0].text);
  const m = createRequire(import.meta.url)(file);
  rmSync(dir, { recursive: true, force: true });
  const packs = m.packsFromDir(join(root, "rules"));
  const engine = m.makeEngine(m.buildRuleSet(packs));
  return {
    ...m,
    packs,
    engine,
    judge: (cmd, ctx = {}) => m.evaluate(cmd, { ...m.EXAMPLE_CONTEXT, ...ctx }, engine),
  };
}

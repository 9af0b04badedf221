// Build step: validates rules/*.yaml and writes the compiled packs: the full packs as JSON on stdout (for
// the CLI bundle, examples included), and for the hot path an index (no examples, each rule's scope
// precomputed) plus a file of the matches that the index points into by byte offset.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { packsFromDir } from "../src/rules/disk.ts";
import { RuleError } from "../src/rules/load.ts";
import { ruleScope } from "../src/judge/compile.ts";
import { RULE_INDEX, RULE_MATCHES } from "../src/rules/builtin.ts";

const [rulesDir = "rules", outDir] = process.argv.slice(2);
try {
  const packs = packsFromDir(rulesDir);
  if (outDir) {
    const chunks: Buffer[] = [];
    let at = 0;
    const index = packs.map((p) => ({
      ...p,
      rules: p.rules.map(({ examples: _examples, match, ...r }) => {
        const bytes = Buffer.from(JSON.stringify(match), "utf8");
        const entry = {
          ...r,
          ...(match.signal ? { signal: match.signal } : { scope: ruleScope(match) }),
          at,
          len: bytes.length,
        };
        chunks.push(bytes);
        at += bytes.length;
        return entry;
      }),
    }));
    writeFileSync(join(outDir, RULE_INDEX), JSON.stringify(index));
    writeFileSync(join(outDir, RULE_MATCHES), Buffer.concat(chunks));
  }
  process.stdout.write(JSON.stringify(packs));
} catch (e) {
  process.stderr.write((e instanceof RuleError ? e.message : String(e)) + "\n");
  process.exit(1);
}

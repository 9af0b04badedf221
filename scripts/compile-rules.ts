// Build step: validates rules/*.yaml and prints two compilations as JSON: the full packs (for the CLI,
// examples included) and the lean ones for the hot path (no examples, each rule's scope precomputed and
// its match kept as a JSON string that is parsed only when a command the rule can apply to shows up).
import { packsFromDir } from "../src/rules/disk.ts";
import { RuleError } from "../src/rules/load.ts";
import { ruleScope } from "../src/judge/compile.ts";

try {
  const packs = packsFromDir(process.argv[2] ?? "rules");
  const lean = packs.map((p) => ({
    ...p,
    rules: p.rules.map(({ examples: _examples, match, ...r }) => ({
      ...r,
      ...(match.signal ? { signal: match.signal } : { scope: ruleScope(match) }),
      matchJson: JSON.stringify(match),
    })),
  }));
  process.stdout.write(JSON.stringify({ full: packs, lean }));
} catch (e) {
  process.stderr.write((e instanceof RuleError ? e.message : String(e)) + "\n");
  process.exit(1);
}

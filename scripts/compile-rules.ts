// Build step: validates rules/*.yaml and writes the compiled packs: the full packs as JSON on stdout (for
// the CLI bundle, examples included), and for the hot path an index (no examples, each rule's scope
// precomputed) plus a file of the matches that the index points into by byte offset.
import { renameSync, writeFileSync } from "node:fs";

// Written aside and renamed into place: a running guard (the judgment server) that has the old file
// open keeps reading the old file whole, never a mix of two builds.
function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
import { join } from "node:path";
import { packsFromDir } from "../src/rules/disk.ts";
import { RuleError } from "../src/rules/load.ts";
import { ruleScope } from "../src/judge/compile.ts";
import { PATH_GLOBS, RULE_INDEX, RULE_LAYOUT, RULE_MATCHES } from "../src/rules/builtin.ts";
import { ruleLayout } from "../src/judge/match.ts";
import { buildRuleSet } from "../src/config/ruleset.ts";
import { pathGlobSources } from "../src/judge/glob.ts";

/** Every path glob the rules hold (`paths:` lists, at any depth of a match). */
function pathGlobs(v: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(v)) for (const x of v) pathGlobs(x, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      if (k !== "paths" || !Array.isArray(x)) pathGlobs(x, out);
      else for (const p of x) if (typeof p === "string") out.add(p);
    }
  return out;
}

const [rulesDir = "rules", outDir] = process.argv.slice(2);
try {
  const packs = packsFromDir(rulesDir);
  if (outDir) {
    // The hot path needs, per rule, only its id, decision and scope up front; its reason, safer way,
    // escalations and match are read from the second file, by offset, when a command meets the rule.
    // Tool specs are merged here once (as buildRuleSet would), into the first pack.
    const chunks: Buffer[] = [];
    let at = 0;
    const merged = buildRuleSet(packs).tools;
    const index = packs.map((p, i) => ({
      name: p.name,
      description: p.description,
      tools: i === 0 ? merged : {},
      rules: p.rules.map(({ examples: _examples, match, reason, safer, escalate, ...r }) => {
        const bytes = Buffer.from(JSON.stringify({ reason, safer, escalate, match }), "utf8");
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
    writeFileAtomic(join(outDir, RULE_INDEX), JSON.stringify(index));
    writeFileAtomic(join(outDir, RULE_LAYOUT), JSON.stringify(ruleLayout(buildRuleSet(packs).rules)));
    writeFileAtomic(join(outDir, RULE_MATCHES), Buffer.concat(chunks));
    // Compiled here so the hook never loads picomatch for them.
    const globs = pathGlobs(
      packs.map((p) => p.rules.map((r) => r.match)),
      new Set(),
    );
    writeFileSync(join(outDir, PATH_GLOBS), JSON.stringify(pathGlobSources(globs)));
  }
  process.stdout.write(JSON.stringify(packs));
} catch (e) {
  process.stderr.write((e instanceof RuleError ? e.message : String(e)) + "\n");
  process.exit(1);
}

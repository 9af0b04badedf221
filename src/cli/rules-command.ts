// guard rules list | show <id> | test [files] | lint [files]
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { compiledPacks } from "../rules/builtin.ts";
import { loadPack, RuleError } from "../rules/load.ts";
import { runExamples } from "../rules/examples.ts";
import { buildRuleSet } from "../config/ruleset.ts";
import type { Pack, Rule } from "../judge/rule.ts";

function builtin(): readonly Pack[] {
  const p = compiledPacks();
  if (!p) throw new Error("no compiled rule packs: run npm run build");
  return p;
}

function readPacks(files: readonly string[]): Pack[] {
  const seen = new Map<string, string>();
  return files.map((f) => loadPack(f, readFileSync(f, "utf8"), seen));
}

export function showRule(r: Rule): string {
  const out = [
    `${r.id}  (${r.decision}, pack ${r.pack}${r.enabled === false ? ", off by default" : ""})`,
    `  ${r.reason}`,
  ];
  if (r.safer) out.push(`  safer: ${r.safer}`);
  if (r.escalate?.length)
    out.push(`  stricter when: ${r.escalate.map((e) => `${e.when} -> ${e.decision}`).join(", ")}`);
  out.push(`  match: ${JSON.stringify(r.match)}`);
  for (const b of r.examples?.block ?? []) out.push(`  caught:  ${b}`);
  for (const p of r.examples?.pass ?? []) out.push(`  passes:  ${p}`);
  return out.join("\n") + "\n";
}

export function registerRules(program: Command): void {
  const rules = program.command("rules").description("list, show, test and lint rule packs");
  rules
    .command("list")
    .description("list packs and their rules")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }) => {
      const packs = builtin();
      if (opts.json) {
        process.stdout.write(
          JSON.stringify(
            packs.map((p) => ({
              pack: p.name,
              description: p.description,
              rules: p.rules.map((r) => ({ id: r.id, decision: r.decision, reason: r.reason })),
            })),
          ) + "\n",
        );
        return;
      }
      for (const p of packs) {
        process.stdout.write(`${p.name} — ${p.description}\n`);
        for (const r of p.rules)
          process.stdout.write(`  ${r.decision.padEnd(5)} ${r.id.padEnd(36)} ${r.reason}\n`);
      }
    });
  rules
    .command("show")
    .description("show a rule: reason, safer alternative, match and examples")
    .argument("<id>", "rule id, e.g. git.push-force")
    .action((id: string) => {
      const r = builtin()
        .flatMap((p) => p.rules)
        .find((x) => x.id === id);
      if (!r) {
        process.stderr.write(`guard rules show: no rule ${id} (see guard rules list)\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(showRule(r));
    });
  rules
    .command("test")
    .description("run the inline examples of rule files (default: the built-in packs)")
    .argument("[files...]", "rule pack YAML files")
    .action((files: string[]) => {
      try {
        const packs = files.length ? readPacks(files) : [...builtin()];
        const set = buildRuleSet([...builtin(), ...(files.length ? packs : [])]);
        const { count, failures } = runExamples(packs, set);
        for (const f of failures)
          process.stdout.write(`FAIL ${f.rule} ${f.kind}: ${f.command}\n     ${f.problem}\n`);
        process.stdout.write(`${count - failures.length} passed, ${failures.length} failed\n`);
        process.exitCode = failures.length ? 1 : 0;
      } catch (e) {
        process.stderr.write((e instanceof RuleError ? e.message : String(e)) + "\n");
        process.exitCode = 2;
      }
    });
  rules
    .command("lint")
    .description("validate rule files; errors give file:line:column")
    .argument("<files...>", "rule pack YAML files")
    .action((files: string[]) => {
      let bad = 0;
      const seen = new Map<string, string>();
      for (const f of files) {
        try {
          const p = loadPack(f, readFileSync(f, "utf8"), seen);
          process.stdout.write(`ok   ${f}: pack ${p.name}, ${p.rules.length} rules\n`);
        } catch (e) {
          bad++;
          process.stdout.write(
            `FAIL ${e instanceof RuleError ? e.message : `${f}: ${(e as Error).message}`}\n`,
          );
        }
      }
      process.exitCode = bad ? 1 : 0;
    });
}

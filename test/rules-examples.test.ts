import { describe, expect, it } from "vitest";
import { runExamples } from "../src/rules/examples.ts";
import { buildRuleSet } from "../src/config/ruleset.ts";
import { PACKS } from "./helpers.ts";

const SET = buildRuleSet(PACKS);

describe("every rule's inline examples", () => {
  for (const pack of PACKS) {
    for (const rule of pack.rules) {
      const examples = [...(rule.examples?.block ?? []), ...(rule.examples?.pass ?? [])];
      if (examples.length === 0) continue;
      it(`${rule.id}`, () => {
        const single = { ...pack, rules: [rule] };
        const { failures } = runExamples([single], SET);
        expect(failures.map((f) => `${f.kind}: ${f.command} -> ${f.problem}`)).toEqual([]);
      });
    }
  }
});

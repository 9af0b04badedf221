// Accuracy on the corpus in test/corpus/: dangerous commands (and their evasions) are caught, everyday
// work passes. The held-out set guard is judged on is not this one; this one guards against regressions.
import { describe, expect, it } from "vitest";
import { check, corpusCases, type CorpusCase } from "./helpers.ts";

const cases: CorpusCase[] = corpusCases();

describe("accuracy corpus", () => {
  const dangerous = cases.filter((c) => c.expect !== "pass");
  const safe = cases.filter((c) => c.expect === "pass");
  const verdicts = new Map(cases.map((c) => [c.cmd, check(c.cmd).decision]));

  it(`catches at least 99% of ${dangerous.length} dangerous commands`, () => {
    const missed = dangerous.filter((c) => !["deny", "ask"].includes(verdicts.get(c.cmd) ?? ""));
    expect(missed.length / dangerous.length, missed.map((c) => c.cmd).join("\n")).toBeLessThanOrEqual(0.01);
  });
  it(`falsely blocks at most 1% of ${safe.length} safe commands`, () => {
    const blocked = safe.filter((c) => ["deny", "ask"].includes(verdicts.get(c.cmd) ?? ""));
    expect(blocked.length / safe.length, blocked.map((c) => c.cmd).join("\n")).toBeLessThanOrEqual(0.01);
  });
  it("denies (not only asks) at least 98% of what must be denied", () => {
    const mustDeny = cases.filter((c) => c.expect === "deny");
    const weak = mustDeny.filter((c) => verdicts.get(c.cmd) !== "deny");
    expect(weak.length / mustDeny.length, weak.map((c) => c.cmd).join("\n")).toBeLessThanOrEqual(0.02);
  });
});

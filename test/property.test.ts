// Property tests: parse and resolve never throw or hang on arbitrary input; oversized input gets a verdict.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { check } from "./helpers.ts";
import { LIMITS } from "../src/resolve/resolve.ts";

const shellish = fc.stringMatching(/^[a-z $'"`\\(){}<>|&;\n*?~=#!\-/.0-9[\]]{0,80}$/);
const tokens = fc.array(
  fc.constantFrom(
    "rm",
    "-rf",
    "/",
    "$(",
    ")",
    "`",
    "'",
    '"',
    "<<EOF\n",
    "EOF\n",
    "|",
    "&&",
    ";",
    "bash -c",
    "eval",
    "sudo",
    "xargs",
    "${",
    "}",
    "((",
    "))",
    "[[",
    "]]",
    "\n",
    "\\",
    "case x in",
    "esac",
    "if",
    "then",
    "fi",
    "for i in",
    "do",
    "done",
    "<(",
    ">&",
    "$x",
  ),
  { maxLength: 40 },
);

function judgedQuickly(cmd: string): void {
  const start = performance.now();
  const v = check(cmd);
  const ms = performance.now() - start;
  expect(["allow", "ask", "deny", "none"]).toContain(v.decision);
  // A generous bound that only a hang or a runaway would exceed, not a slow machine.
  expect(ms).toBeLessThan(5000);
}

describe("parse and resolve are total", () => {
  it("never throw or hang on arbitrary shell-like text", () => {
    fc.assert(
      fc.property(shellish, (s) => judgedQuickly(s)),
      { numRuns: 2000 },
    );
  });
  it("never throw or hang on arbitrary token soups", () => {
    fc.assert(
      fc.property(tokens, (t) => judgedQuickly(t.join(" "))),
      { numRuns: 2000 },
    );
  });
  it("never throw on arbitrary unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => judgedQuickly(s)),
      { numRuns: 1000 },
    );
  });
});

describe("limits give a verdict, not a crash", () => {
  it("oversized input is denied", () => {
    const v = check("echo " + "a".repeat(LIMITS.maxInput + 1));
    expect(v.decision).toBe("deny");
    expect(v.hits[0]?.id).toBe("core.too-large");
  });
  it("deep nesting is not allowed", () => {
    const deep = "$(".repeat(3000) + "ls" + ")".repeat(3000);
    expect(["ask", "deny"]).toContain(check("echo " + deep).decision);
  });
  it("deeply nested shells are not allowed", () => {
    // Quoting grows fourfold per level, so the nesting is built from eval and $(...) past a few levels.
    let cmd = "rm -rf /";
    for (let i = 0; i < 6; i++) cmd = `bash -c '${cmd.replace(/'/g, "'\\''")}'`;
    expect(check(cmd).decision).toBe("deny");
    expect(["ask", "deny"]).toContain(check("eval ".repeat(40) + "ls").decision);
    expect(check("echo " + "$(true; ".repeat(40) + "rm -rf /" + ")".repeat(40)).decision).toBe("deny");
  });
  it("a long but ordinary list is judged", () => {
    const v = check(Array.from({ length: 2000 }, (_, i) => `echo ${i}`).join(" && "));
    expect(v.decision).toBe("none");
  });
});

// The shipped hot path (rules compiled into an index, a layout and lazily read bodies) judges exactly as the
// rules read from rules/*.yaml do: every corpus command, through one `guard check --batch` process.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, GUARD } from "./build.ts";
import { corpusCases, CTX, ENGINE, PACKS } from "./helpers.ts";
import { evaluate } from "../src/core/evaluate.ts";
import { readContext } from "../src/act/context.ts";

beforeAll(() => ensureBuilt(), 180_000);

describe("compiled rules", () => {
  it("give the same verdict and rules as the YAML packs on every corpus command and rule example", () => {
    const examples = PACKS.flatMap((p) =>
      p.rules.flatMap((r) => [...(r.examples?.block ?? []), ...(r.examples?.pass ?? [])]),
    );
    const cmds = [...corpusCases().map((c) => c.cmd), ...examples];
    const home = mkdtempSync(join(tmpdir(), "guard-eq-"));
    const env = {
      PATH: process.env["PATH"] ?? "",
      HOME: CTX.home,
      XDG_STATE_HOME: join(home, "state"),
      XDG_CONFIG_HOME: join(home, "config"),
    };
    // The same context the batch process reads for this cwd.
    const ctx = readContext(CTX.cwd, env);
    const input = cmds.map((command) => JSON.stringify({ command, cwd: CTX.cwd })).join("\n") + "\n";
    const r = spawnSync(process.execPath, [GUARD, "check", "--batch"], {
      input,
      encoding: "utf8",
      maxBuffer: 1 << 30,
      env,
    });
    const out = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { decision: string; rules: { id: string }[] });
    expect(out.length).toBe(cmds.length);
    const differ: string[] = [];
    cmds.forEach((cmd, i) => {
      const v = evaluate(cmd, ctx, ENGINE);
      const want = `${v.decision === "none" ? "allow" : v.decision} ${[...new Set(v.hits.map((h) => h.id))].sort().join(",")}`;
      const got = `${out[i]?.decision} ${[...new Set((out[i]?.rules ?? []).map((h) => h.id))].sort().join(",")}`;
      if (want !== got) differ.push(`${JSON.stringify(cmd)}: source ${want} / compiled ${got}`);
    });
    expect(differ.slice(0, 20)).toEqual([]);
  }, 120_000);
});

// The shipped completion scripts are exactly what the CLI definition generates, and cover every command.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, GUARD, ROOT } from "./build.ts";
import { buildProgram } from "../src/cli/main.ts";
import { completionNodes } from "../src/cli/completion.ts";

beforeAll(() => ensureBuilt(), 180_000);

const files = { bash: "guard.bash", zsh: "_guard", fish: "guard.fish" } as const;

describe("completions", () => {
  for (const [shell, file] of Object.entries(files)) {
    it(`completions/${file} matches \`guard completion ${shell}\` (run node scripts/completions.mjs after changing the CLI)`, () => {
      const generated = execFileSync(process.execPath, [GUARD, "completion", shell], { encoding: "utf8" });
      expect(readFileSync(join(ROOT, "completions", file), "utf8")).toBe(generated);
    });
  }
  it("every command and option appears in each script", () => {
    const nodes = completionNodes(buildProgram());
    const words = nodes.flatMap((n) => [...n.subcommands, ...n.options]);
    expect(words).toContain("install");
    expect(words).toContain("--json");
    for (const file of Object.values(files)) {
      const text = readFileSync(join(ROOT, "completions", file), "utf8");
      for (const w of words) expect(text, `${file} lacks ${w}`).toContain(w.replace(/^--?/, ""));
    }
  });
  it("the bash script completes subcommands in a real bash", () => {
    const out = execFileSync(
      "bash",
      [
        "-c",
        `source ${join(ROOT, "completions", files.bash)}; COMP_WORDS=(guard ru); COMP_CWORD=1; _guard; echo "\${COMPREPLY[*]}"; COMP_WORDS=(guard rules l); COMP_CWORD=2; _guard; echo "\${COMPREPLY[*]}"`,
      ],
      { encoding: "utf8" },
    );
    expect(out.split("\n")[0]).toBe("rules");
    expect(out.split("\n")[1]).toBe("list lint");
  });
});

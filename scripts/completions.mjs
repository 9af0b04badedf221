// Writes completions/ from the CLI definition (run after a build): node scripts/completions.mjs
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = { bash: "guard.bash", zsh: "_guard", fish: "guard.fish" };
for (const [shell, file] of Object.entries(files)) {
  const text = execFileSync(process.execPath, [join(root, "bin", "guard"), "completion", shell], {
    encoding: "utf8",
  });
  writeFileSync(join(root, "completions", file), text);
}

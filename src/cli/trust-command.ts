// guard trust [file]: lets a project config file loosen verdicts, after a human reads it on the terminal.
import type { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { confirmOnTty, NEEDS_TTY } from "../act/confirm.ts";
import { writeAtomic } from "../act/install/json-file.ts";
import { PROJECT_CONFIG_NAMES } from "../config/paths.ts";
import { sha256, trustFile } from "../config/load.ts";
import { gitRoot } from "../act/context.ts";
import { record } from "../act/exec/record.ts";

function readTrusted(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(trustFile(), "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

function projectConfig(arg: string | undefined): string {
  if (arg) return resolve(arg);
  const root = gitRoot(process.cwd()) ?? process.cwd();
  const found = PROJECT_CONFIG_NAMES.map((n) => join(root, n)).find((f) => existsSync(f));
  if (!found) throw new Error(`no project config (${PROJECT_CONFIG_NAMES.join(" or ")}) in ${root}`);
  return found;
}

export function registerTrust(program: Command): void {
  program
    .command("trust")
    .description(
      "trust a project config file (exactly this content) so it may loosen verdicts; asks a human on the terminal",
    )
    .argument(
      "[file]",
      "the project config file (default: .guard/config.yaml or .guard.yaml of this project)",
    )
    .action(async (arg?: string) => {
      const file = projectConfig(arg);
      const text = readFileSync(file, "utf8");
      const preview = text
        .split("\n")
        .slice(0, 40)
        .map((l) => "  | " + l);
      const ok = await confirmOnTty(
        [
          `Trust ${file}?`,
          "A trusted project file may allow commands guard would otherwise ask about or deny.",
          ...preview,
        ],
        "trust it",
      );
      if (!ok.ok) {
        record({
          kind: "admin",
          host: "cli",
          cwd: process.cwd(),
          command: `guard trust ${file}`,
          reason: `refused: ${ok.why}`,
        });
        process.stderr.write(`guard trust: ${ok.why === "no-tty" ? NEEDS_TTY : "not trusted."}\n`);
        process.exitCode = 1;
        return;
      }
      writeAtomic(
        trustFile(),
        JSON.stringify({ ...readTrusted(), [file]: sha256(text) }, null, 2) + "\n",
        0o600,
      );
      process.stdout.write(
        `trusted ${file} (sha256 ${sha256(text).slice(0, 12)}…); any change to it makes it untrusted again\n`,
      );
    });
  program
    .command("untrust")
    .description("stop trusting a project config file")
    .argument("[file]", "the project config file")
    .action((arg?: string) => {
      const file = projectConfig(arg);
      const t = readTrusted();
      delete t[file];
      writeAtomic(trustFile(), JSON.stringify(t, null, 2) + "\n", 0o600);
      record({
        kind: "admin",
        host: "cli",
        cwd: process.cwd(),
        command: `guard untrust ${file}`,
        reason: "no longer trusted",
      });
      process.stdout.write(`${file} is no longer trusted\n`);
    });
}

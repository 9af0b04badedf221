// Build step: validates rules/*.yaml and prints the compiled packs as JSON.
import { packsFromDir } from "../src/rules/disk.ts";
import { RuleError } from "../src/rules/load.ts";

try {
  process.stdout.write(JSON.stringify(packsFromDir(process.argv[2] ?? "rules")));
} catch (e) {
  process.stderr.write((e instanceof RuleError ? e.message : String(e)) + "\n");
  process.exit(1);
}

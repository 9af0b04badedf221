// Renders verdicts for people: colour (chalk honours NO_COLOR and plain output off a TTY) and the
// responsible part of the command line underlined.
import chalk from "chalk";
import type { Verdict } from "../core/types.ts";
import { shownDecision } from "./report.ts";

const COLOUR = { allow: chalk.green, ask: chalk.yellow, deny: chalk.red } as const;

/** The command line with the responsible part underlined. */
function highlight(command: string, span: readonly [number, number]): string {
  const lines = command.split("\n");
  let offset = 0;
  const out: string[] = [];
  for (const line of lines) {
    const start = offset;
    const end = offset + line.length;
    out.push("  " + line);
    const s = Math.max(span[0], start);
    const e = Math.min(span[1], end);
    if (e > s) out.push("  " + " ".repeat(s - start) + chalk.bold("^".repeat(Math.max(1, e - s))));
    offset = end + 1;
  }
  return out.join("\n");
}

export function verdictText(command: string, v: Verdict, explain: boolean): string {
  const d = shownDecision(v);
  const out: string[] = [
    COLOUR[d](chalk.bold(d.toUpperCase())) + "  " + (v.decision === "none" ? "no rule matched" : ""),
  ];
  const seen = new Set<string>();
  for (const h of v.hits) {
    const key = h.id + h.span.join();
    if (seen.has(key)) continue;
    seen.add(key);
    out[0] = out[0]?.trimEnd() ?? "";
    out.push(`${COLOUR[h.decision](h.decision)}  ${chalk.bold(h.id)}  ${h.reason}`);
    out.push(highlight(command, h.span));
    if (h.safer) out.push(`  safer: ${h.safer}`);
  }
  if (explain) {
    out.push("", chalk.bold("resolved invocations:"));
    v.resolution.invocations.forEach((inv, i) => {
      const words = inv.argv.map((a) => (a.dynamic ? chalk.magenta(a.value) : a.value)).join(" ");
      const via = inv.via.length ? chalk.dim(`  via ${inv.via.join(" > ")}`) : "";
      out.push(
        `  ${i + 1}. ${words || "(redirection only)"}${via}${chalk.dim(`  cwd ${inv.cwd ?? "unknown"}`)}`,
      );
      for (const h of v.hits.filter((x) => x.invocation === i))
        out.push(`       ${COLOUR[h.decision](h.decision)} ${h.id}: ${h.why}`);
    });
    const signals = v.resolution.signals;
    if (signals.length) {
      out.push(chalk.bold("findings:"));
      for (const s of signals) out.push(`  ${s.kind}: ${s.detail}`);
    }
  }
  return out.join("\n") + "\n";
}

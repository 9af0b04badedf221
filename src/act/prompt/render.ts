// The prompt as the human reads it: the exact command, the rules and reasons, the preview, one
// blast-radius line, and the choices. Rendered once in colour for the terminal and once in plain text,
// with the approval word hidden, for the audit trail.
import type { Context, Verdict } from "../../core/types.ts";
import type { Preview } from "../preview/preview.ts";
import { visible } from "../preview/format.ts";
import { MAX_APPROVAL_MINUTES } from "../session/approvals.ts";
import { style, type Style } from "./style.ts";

export interface PromptView {
  readonly command: string;
  readonly verdict: Verdict;
  readonly ctx: Context;
  readonly host: string;
  readonly preview: Preview;
  readonly timeoutSec: number;
}

/** Commands longer than this are shown in part, and the prompt says so. */
const MAX_SHOWN = 4000;
const HIDDEN_WORD = "<word>";

function commandLines(command: string): string[] {
  const shown = command.length > MAX_SHOWN ? command.slice(0, MAX_SHOWN) : command;
  const lines = shown.split("\n").map((l) => visible(l));
  if (command.length > MAX_SHOWN)
    lines.push(
      `[${(command.length - MAX_SHOWN).toLocaleString("en-US")} more characters not shown: deny unless you know what they are]`,
    );
  return lines;
}

function render(v: PromptView, c: Style, word: string): string {
  const out: string[] = [];
  const label = (s: string) => c.dim(s.padEnd(10));
  out.push(
    c.bold(c.yellow(`── guard ── an agent (${v.host}) wants to run a command that needs your approval`)),
  );
  const cmd = commandLines(v.command);
  out.push(`${label("command")}${c.bold(cmd[0] ?? "")}`);
  for (const l of cmd.slice(1)) out.push(`${" ".repeat(10)}${c.bold(l)}`);
  out.push(`${label("in")}${visible(v.ctx.cwd)}`);
  const seen = new Set<string>();
  for (const h of v.verdict.hits) {
    if (h.decision === "allow" || seen.has(h.id)) continue;
    seen.add(h.id);
    out.push(`${label("rule")}${c.bold(h.id)} (${h.decision}): ${visible(h.reason)}`);
    if (h.safer) out.push(`${" ".repeat(10)}${c.dim("safer: " + visible(h.safer))}`);
  }
  out.push("");
  for (const e of v.preview.effects) {
    out.push(`${label("preview")}${c.cyan(visible(e.title))}`);
    for (const l of e.lines) out.push(`${" ".repeat(10)}${visible(l)}`);
  }
  for (const n of v.preview.notes)
    out.push(`${label(v.preview.effects.length ? "" : "preview")}${visible(n)}`);
  const b = v.preview.blast;
  const rev =
    b.reversibility === "irreversible"
      ? c.bold(c.red(b.reversibility))
      : b.reversibility === "reversible"
        ? c.green(b.reversibility)
        : c.yellow(b.reversibility);
  out.push(
    `${label("blast")}scope: ${visible(b.scope)} · reversibility: ${rev} (${visible(b.undo)}) · coupling: ${visible(b.coupling)}`,
  );
  out.push("");
  const once = word;
  const timed = `${word} 15`;
  const gap = (w: string) => " ".repeat(timed.length + 3 - w.length);
  out.push(`Type ${c.bold(c.green(once))}${gap(once)}to allow it once`);
  out.push(
    `     ${c.bold(c.green(timed))}${gap(timed)}to allow this exact command, in this directory and session, for 15 minutes (any 1-${MAX_APPROVAL_MINUTES})`,
  );
  out.push(`Anything else, Esc, or no answer within ${v.timeoutSec} s denies.`);
  return out.join("\n") + "\n";
}

export function renderPrompt(v: PromptView, word: string, colour: boolean): { tty: string; plain: string } {
  return {
    tty: render(v, style(colour), word),
    plain: render(v, style(false), HIDDEN_WORD),
  };
}

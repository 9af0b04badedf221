// The pure core: parse, resolve, judge, decide. No I/O of its own (a script a command runs is read through
// the context's readScript, which the adapters supply), no clock, no environment.
import type { Context, Resolution, Signal, Verdict } from "./types.ts";
import { resolvePath } from "../resolve/paths.ts";
import { classifyPath } from "../judge/targets.ts";
import { resolveCommand } from "../resolve/resolve.ts";
import { indexRules, judge, type RuleIndex } from "../judge/match.ts";
import type { RuleSet } from "../judge/rule.ts";
import { decide } from "../decide/decide.ts";

export interface Engine {
  readonly set: RuleSet;
  readonly index: RuleIndex;
}

export function makeEngine(set: RuleSet): Engine {
  return { set, index: indexRules(set) };
}

/** Any reference to a planted decoy (its path, resolved through cd, or its token) is a signal. */
function decoySignals(command: string, resolution: Resolution, ctx: Context): Resolution {
  const decoys = ctx.decoys;
  if (!decoys || (decoys.paths.length === 0 && decoys.tokens.length === 0)) return resolution;
  const signals: Signal[] = [];
  const token = decoys.tokens.find((t) => t && command.includes(t));
  if (token)
    signals.push({
      kind: "decoy",
      detail: "the command contains a decoy credential",
      span: [0, command.length],
    });
  for (const inv of resolution.invocations) {
    const words = [...inv.argv.slice(1), ...inv.redirects.flatMap((r) => (r.target ? [r.target] : []))];
    for (const w of words) {
      if (w.dynamic || inv.remote) continue;
      for (const part of w.value.split(/[=,:@]/)) {
        if (!part || part.startsWith("-")) continue;
        const p = resolvePath(inv.cwd, part, ctx.home);
        if (p && classifyPath(p, ctx) === "decoy")
          signals.push({ kind: "decoy", detail: `${w.text} is a decoy credential`, span: inv.span });
      }
    }
  }
  return signals.length ? { ...resolution, signals: [...resolution.signals, ...signals] } : resolution;
}

export function evaluate(command: string, ctx: Context, engine: Engine): Verdict {
  try {
    const resolution = decoySignals(command, resolveCommand(command, ctx), ctx);
    return decide(judge(resolution, engine.set, engine.index, ctx), resolution);
  } catch (e) {
    // Fail closed: an internal error is a deny with a reason, never a crash or a silent allow.
    const detail = e instanceof Error ? e.message : String(e);
    return {
      decision: "deny",
      reason: `core.internal-error: guard could not judge this command (${detail.slice(0, 200)})`,
      hits: [
        {
          id: "core.internal-error",
          decision: "deny",
          reason: "guard could not judge this command",
          span: [0, command.length],
          invocation: -1,
          why: detail.slice(0, 200),
        },
      ],
      resolution: { invocations: [], signals: [] },
    };
  }
}

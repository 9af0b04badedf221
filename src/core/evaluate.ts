// The pure core: parse, resolve, judge, decide. No I/O, no clock, no environment.
import type { Context, Verdict } from "./types.ts";
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

export function evaluate(command: string, ctx: Context, engine: Engine): Verdict {
  try {
    const resolution = resolveCommand(command, ctx);
    return decide(judge(resolution, engine.set, engine.index, ctx), resolution);
  } catch (e) {
    // Fail closed: an internal error is a deny with a reason, never a crash or a silent allow.
    const detail = e instanceof Error ? e.message : String(e);
    return {
      decision: "deny",
      reason: `core.internal-error: guard could not judge this command (${detail.slice(0, 200)})`,
      hits: [{ id: "core.internal-error", decision: "deny", reason: "guard could not judge this command", span: [0, command.length], invocation: -1, why: detail.slice(0, 200) }],
      resolution: { invocations: [], signals: [] },
    };
  }
}

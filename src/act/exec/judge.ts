// The verdict on a command guard exec / guard shell was given, in the context it will run in (with
// decoys), under the lockdown and the session's bounds. Anything broken here is a deny (fail closed).
import { loadDecoyIndex } from "../../canary/decoys.ts";
import { judgeLine, loadEngine } from "../../cli/engine.ts";
import type { Context, Verdict } from "../../core/types.ts";
import { readContext } from "../context.ts";
import { lockdownVerdict, readBounds, type Bounds } from "../session/lockdown.ts";

export interface Judgement {
  readonly verdict: Verdict;
  readonly ctx: Context;
  readonly timeoutSec: number;
  /** How this host resolves ask: guard's TTY prompt, or deny. */
  readonly strategy: "native" | "tty" | "deny";
  readonly bounds: Bounds;
}

function failClosed(command: string, reason: string, why: string): Verdict {
  const hit = {
    id: "core.internal-error",
    decision: "deny" as const,
    reason,
    span: [0, command.length] as const,
    invocation: -1,
    why,
  };
  return {
    decision: "deny",
    reason: `core.internal-error: ${reason} (${why})`,
    hits: [hit],
    resolution: { invocations: [], signals: [] },
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function judgeCommand(
  command: string,
  cwd: string,
  host: "exec" | "shell",
  session: string,
  env: NodeJS.ProcessEnv,
): Judgement {
  const base = readContext(cwd, env);
  const decoys = loadDecoyIndex(env);
  const ctx: Context = decoys.paths.length || decoys.tokens.length ? { ...base, decoys } : base;
  const closed = (reason: string, e: unknown): Judgement => ({
    verdict: failClosed(command, reason, message(e)),
    ctx,
    timeoutSec: 60,
    strategy: "deny",
    bounds: {},
  });
  let bounds: Bounds;
  try {
    bounds = readBounds(env);
  } catch (e) {
    return closed("guard's session bounds file is broken; nothing runs until it is fixed", e);
  }
  try {
    const loaded = loadEngine(ctx.projectRoot, env);
    const v = judgeLine(command, ctx, loaded);
    return {
      verdict: lockdownVerdict(session, env, v) ?? v,
      ctx,
      timeoutSec: loaded.settings.promptTimeout,
      strategy: loaded.settings.askStrategy[host] ?? "tty",
      bounds,
    };
  } catch (e) {
    return closed("guard could not judge this command", e);
  }
}

// guard hook claude-code | codex: judge one PreToolUse call and answer in the host's protocol.
// Fails closed: malformed input, an unknown event, an internal error all give a deny with a reason.
import { readSync } from "node:fs";
import { writeAll } from "./write-fd.ts";
import { readContext } from "../act/context.ts";
import { parsePayload, PayloadError, HOOK_LIMITS, type HookPayload } from "../act/hooks/payload.ts";
import { toolJudgement, type ToolJudgement } from "../act/hooks/tools.ts";
import {
  allowReply,
  askReply,
  denyReply,
  silentReply,
  type Host,
  type HookReply,
} from "../act/hooks/reply.ts";
import { judgeLine, loadEngine, type Loaded } from "./engine.ts";
import type { Context, Verdict } from "../core/types.ts";
import { HUMAN_DECLINED_REASON, HUMAN_SILENT_REASON } from "../act/prompt/reasons.ts";
import { approvedBefore, hookSideEffects, type HookEffects } from "./hook-effects.ts";

/** Thrown where only the hook's own process can go on: a prompt on the human's terminal. */
export class NeedsTerminal extends Error {}

export const HOSTS: Record<string, Host> = {
  "claude-code": "claude-code",
  claude: "claude-code",
  codex: "codex",
};

/** Why a call was denied, for the agent: the rule and reason, and a safer way, never how to get around guard. */
export function denyReason(v: Verdict): string {
  const top = v.hits[0];
  if (!top) return `guard: ${v.reason}`;
  return `guard denied this (${top.id}): ${top.reason}${top.safer ? ` Safer: ${top.safer}` : ""}`;
}

/** The hook's input, at most HOOK_LIMITS.maxPayload bytes (more reads as an oversized payload). */
export function readStdin(): string {
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((e as NodeJS.ErrnoException).code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    size += n;
    if (size > HOOK_LIMITS.maxPayload) return "\u0000".repeat(HOOK_LIMITS.maxPayload + 1);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function toolVerdict(tj: ToolJudgement, ctx: Context, loaded: Loaded): Verdict {
  // A broken configuration blocks every tool, not only those with shell text to judge.
  const base: Verdict =
    tj.command || loaded.configError
      ? judgeLine(tj.command, ctx, loaded)
      : {
          decision: "none",
          reason: "no rule matched",
          hits: [],
          resolution: { invocations: [], signals: [] },
        };
  const tokens = ctx.decoys?.tokens ?? [];
  const token = tokens.find((t) => t && tj.strings.some((s) => s.includes(t)));
  if (token && !base.hits.some((h) => h.id === "credentials.touched")) {
    const hit = {
      id: "credentials.touched",
      decision: "deny" as const,
      reason: "Touches a decoy credential planted by guard; this has been recorded and reported.",
      span: [0, 0] as const,
      invocation: -1,
      why: "the tool input contains a decoy credential",
    };
    return { ...base, decision: "deny", reason: `${hit.id}: ${hit.reason}`, hits: [hit, ...base.hits] };
  }
  if (tj.askReason && (base.decision === "none" || base.decision === "allow")) {
    const hit = {
      id: "mcp.destructive-tool",
      decision: "ask" as const,
      reason: tj.askReason,
      span: [0, 0] as const,
      invocation: -1,
      why: tj.askReason,
    };
    return { ...base, decision: "ask", reason: `${hit.id}: ${hit.reason}`, hits: [hit, ...base.hits] };
  }
  return base;
}

/** Two sentences: `first` (a rule's reason usually ends with its own full stop) and then `next`. */
function then(first: string, next: string): string {
  return `${first.replace(/[.\s]+$/, "")}. ${next}`;
}

async function decideReply(
  host: Host,
  p: HookPayload,
  v: Verdict,
  tj: ToolJudgement,
  ctx: Context,
  loaded: Loaded,
  fx: HookEffects,
): Promise<HookReply> {
  const strategy = loaded.settings.askStrategy[host] ?? (host === "claude-code" ? "native" : "tty");
  // Before anything is marked as shown: the process that can prompt answers this call from the start.
  if (
    v.decision === "ask" &&
    strategy === "tty" &&
    !fx.canPrompt &&
    !approvedBefore(tj.display, ctx.cwd, p.sessionId)
  )
    throw new NeedsTerminal("a prompt on the terminal");
  const notice = await fx.notice();
  if (v.decision === "deny") return denyReply(denyReason(v), notice);
  if (v.decision === "ask") {
    const top = v.hits[0];
    const why = top ? `guard asks a human (${top.id}): ${top.reason}` : "guard asks a human to confirm";
    if (strategy === "native" && host === "claude-code") return askReply(why, notice);
    if (strategy === "tty") {
      if (approvedBefore(tj.display, ctx.cwd, p.sessionId)) return silentReply(notice);
      const answer = await fx.askOnTty(tj.display, v, ctx, host, p.sessionId, loaded.settings.promptTimeout);
      if (answer === "allow-once" || answer === "allow-session") return silentReply(notice);
      if (answer === "no-tty") return denyReply(then(why, fx.noHumanReason), notice);
      return denyReply(then(why, answer === "timeout" ? HUMAN_SILENT_REASON : HUMAN_DECLINED_REASON), notice);
    }
    return denyReply(then(why, fx.noHumanReason), notice);
  }
  if (v.decision === "allow") return allowReply(host, v.reason);
  return silentReply(notice);
}

/** A judged hook call: the reply for the host, and its audit entry still to be written. */
export interface JudgedCall {
  readonly reply: HookReply;
  record(): Promise<void>;
}

/** Judges one hook call (`input` is the PreToolUse JSON): the reply to give the host, and its record. */
export async function judgeHook(
  host: Host,
  input: string,
  fx: HookEffects = hookSideEffects(host),
): Promise<JudgedCall> {
  let reply: HookReply;
  let payload: HookPayload | undefined;
  let verdict: Verdict | undefined;
  let display = "";
  try {
    payload = parsePayload(input);
    const env = process.env;
    const projectDir = host === "claude-code" ? env["CLAUDE_PROJECT_DIR"] : undefined;
    const base = readContext(
      payload.cwd,
      env,
      projectDir && projectDir.startsWith("/") ? projectDir : undefined,
    );
    const ctx: Context = { ...base, ...fx.decoys(), env: {} };
    const loaded = loadEngine(ctx.projectRoot);
    const tj = toolJudgement(payload, loaded.settings.mcpAskWords);
    display = tj.display;
    const locked = fx.locked(payload.sessionId);
    verdict = locked ?? toolVerdict(tj, ctx, loaded);
    reply = await decideReply(host, payload, verdict, tj, ctx, loaded, fx);
  } catch (e) {
    if (e instanceof NeedsTerminal) throw e;
    const msg =
      e instanceof PayloadError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    reply = denyReply(`guard could not judge this tool call (${msg.slice(0, 300)}), so it is blocked.`);
  }
  const done = reply;
  return {
    reply: done,
    record: async () => {
      try {
        await fx.record(payload, display, verdict, done);
      } catch {
        // The audit trail must not turn a decision into a crash; its failure is reported by guard doctor.
      }
    },
  };
}

/** `guard hook <host>`; `input` is stdin when the caller already read it. */
export async function runHook(args: readonly string[], input?: string): Promise<number> {
  const host = HOSTS[args[0] ?? ""];
  if (!host) {
    process.stderr.write("usage: guard hook claude-code|codex   (reads the PreToolUse JSON on stdin)\n");
    // Registered wrongly: still fail closed for the host, which reads exit 2 as a block.
    return 2;
  }
  const call = await judgeHook(host, input ?? readStdin());
  await call.record();
  const reply = call.reply;
  // fs.writeSync instead of process.stdout: creating the stream costs milliseconds on every tool call.
  if (reply.stdout) writeAll(1, reply.stdout);
  return reply.exitCode;
}

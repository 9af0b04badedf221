// What the hook does besides judging: decoys, lockdown, the TTY prompt, the audit trail, alert notices.
// Kept behind one interface so the hook's decision logic stays testable and the hot path stays small.
import type { Context, Verdict } from "../core/types.ts";
import type { HookPayload } from "../act/hooks/payload.ts";
import type { Host, HookReply } from "../act/hooks/reply.ts";

export type TtyAnswer = "allow-once" | "allow-session" | "deny" | "timeout" | "no-tty";

export interface HookEffects {
  decoys(): Pick<Context, "decoys">;
  /** A deny verdict when guard is locked down (or the session's breaker tripped), else undefined. */
  locked(session: string | undefined): Verdict | undefined;
  askOnTty(display: string, v: Verdict, ctx: Context, host: Host, session: string | undefined, timeoutSec: number): Promise<TtyAnswer>;
  readonly noHumanReason: string;
  record(p: HookPayload | undefined, display: string, v: Verdict | undefined, reply: HookReply): void;
  /** A message for the human (pending canary alerts), shown by the host. */
  notice(): string | undefined;
}

export const NO_HUMAN =
  "No human is available to confirm it here. Stop and ask your user to run or confirm this themselves; do not try another way to do the same thing.";

export function hookSideEffects(_host: Host): HookEffects {
  return {
    decoys: () => ({}),
    locked: () => undefined,
    askOnTty: async () => "no-tty",
    noHumanReason: NO_HUMAN,
    record: () => undefined,
    notice: () => undefined,
  };
}

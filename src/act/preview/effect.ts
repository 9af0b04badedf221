// What a preview says about one part of a command: what it would touch, and its blast radius.

/** Worst first: how hard undoing the effect would be. */
export type Reversibility = "irreversible" | "recoverable" | "reversible" | "unknown";

export interface Effect {
  /** A short heading: the invocation or the kind of effect ("rm -rf /data/old"). */
  readonly title: string;
  /** What was found, one fact a line. */
  readonly lines: readonly string[];
  /** How much: "1,204 files, 3.2 MB". */
  readonly scope: string;
  readonly reversibility: Reversibility;
  /** Why it is (ir)reversible, in a few words. */
  readonly undo: string;
  /** What else depends on it. */
  readonly coupling: string;
}

/** Bounds on the work a preview may do: it runs while a human waits. */
export interface Budget {
  /** Epoch milliseconds after which walks stop and report a lower bound. */
  readonly deadline: number;
  /** Entries a walk may visit, shared by every walk of one preview. */
  entries: number;
}

export function makeBudget(ms: number, entries = 200_000): Budget {
  return { deadline: Date.now() + ms, entries };
}

export function overBudget(b: Budget): boolean {
  return b.entries <= 0 || Date.now() > b.deadline;
}

/** An effect whose size guard could not learn: the preview explains why and says nothing reassuring. */
export function unknownEffect(title: string, why: string, coupling: string): Effect {
  return {
    title,
    lines: [`no preview: ${why}`],
    scope: "unknown",
    reversibility: "unknown",
    undo: "unknown",
    coupling,
  };
}

// The preview a human sees before answering: what each part of the command would do, computed without
// side effects and within a time budget, and one blast-radius line for the whole command.
import type { Context, Invocation, Verdict } from "../../core/types.ts";
import { deletionPreview } from "./deletion.ts";
import { makeBudget, type Budget, type Effect, type Reversibility } from "./effect.ts";
import { clip } from "./format.ts";
import { gitPushPreview } from "./git-push.ts";
import { gitWorktreePreview } from "./git-worktree.ts";
import { kubePreview } from "./kube.ts";
import { sqlPreview } from "./sql.ts";
import { terraformPreview } from "./terraform.ts";

export interface BlastRadius {
  readonly scope: string;
  readonly reversibility: Reversibility;
  readonly undo: string;
  readonly coupling: string;
}

export interface Preview {
  readonly effects: readonly Effect[];
  /** Parts guard cannot preview, and why. */
  readonly notes: readonly string[];
  readonly blast: BlastRadius;
}

type Previewer = (
  inv: Invocation,
  ctx: Context,
  budget: Budget,
  env: NodeJS.ProcessEnv,
) => Effect | undefined;

const PREVIEWERS: readonly Previewer[] = [
  (inv, ctx, budget) => deletionPreview(inv, ctx, budget),
  (inv, ctx, budget, env) => gitWorktreePreview(inv, ctx, budget, env),
  (inv, ctx, _budget, env) => gitPushPreview(inv, ctx, env),
  (inv, ctx) => kubePreview(inv, ctx),
  (inv, ctx, _budget, env) => terraformPreview(inv, ctx, env),
  (inv, ctx, _budget, env) => sqlPreview(inv, ctx, env),
];

const WORST: readonly Reversibility[] = ["irreversible", "unknown", "recoverable", "reversible"];

/** The invocations the verdict is about: those a rule asked or denied on, else every one. */
function concerned(v: Verdict): Invocation[] {
  const idx = [
    ...new Set(v.hits.filter((h) => h.decision !== "allow" && h.invocation >= 0).map((h) => h.invocation)),
  ].sort((a, b) => a - b);
  const all = v.resolution.invocations;
  return idx.length ? idx.map((i) => all[i]).filter((x): x is Invocation => !!x) : [...all];
}

export function previewVerdict(
  v: Verdict,
  ctx: Context,
  env: NodeJS.ProcessEnv = process.env,
  budgetMs = 2500,
): Preview {
  const budget = makeBudget(budgetMs);
  const effects: Effect[] = [];
  const notes: string[] = [];
  for (const inv of concerned(v).slice(0, 8)) {
    let found: Effect | undefined;
    for (const p of PREVIEWERS) {
      try {
        found = p(inv, ctx, budget, env);
      } catch (e) {
        notes.push(
          `${clip(inv.argv.map((a) => a.text).join(" "), 60)}: preview failed (${e instanceof Error ? e.message : String(e)})`,
        );
        found = undefined;
        break;
      }
      if (found) break;
    }
    if (found) effects.push(found);
    else if (inv.remote)
      notes.push(
        `${clip(inv.argv.map((a) => a.text).join(" "), 80)}: runs on another machine (${inv.via.join(" > ")}); guard cannot look there`,
      );
  }
  for (const h of v.hits)
    if (h.invocation < 0 && h.decision !== "allow")
      notes.push(`${h.id}: guard cannot tell in advance what this part would do`);
  if (!effects.length) {
    return {
      effects,
      notes: notes.length ? notes : ["guard has no preview for this kind of command"],
      blast: {
        scope: "unknown",
        reversibility: "unknown",
        undo: "guard cannot tell what it would change",
        coupling: "unknown",
      },
    };
  }
  const worst = WORST.find((r) => effects.some((e) => e.reversibility === r)) ?? "unknown";
  const undo = effects.find((e) => e.reversibility === worst)?.undo ?? "";
  return {
    effects,
    notes,
    blast: {
      scope:
        [...new Set(effects.map((e) => e.scope))].join("; ") +
        (notes.length ? "; plus parts guard cannot preview" : ""),
      reversibility: worst,
      undo,
      coupling: [...new Set(effects.map((e) => e.coupling))].join("; "),
    },
  };
}

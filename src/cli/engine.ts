// Assembles the engine for one process: built-in packs plus config layers. A broken config fails closed.
import type { Context, Verdict } from "../core/types.ts";
import { evaluate, makeEngine, type Engine } from "../core/evaluate.ts";
import { buildRuleSet } from "../config/ruleset.ts";
import { DEFAULT_SETTINGS, type Settings } from "../config/settings.ts";
import { loadConfig } from "../config/loader.ts";
import { anyConfigFile } from "../config/paths.ts";
import { compiledLayout, compiledPacks } from "../rules/builtin.ts";
import type { Pack } from "../judge/rule.ts";

export interface Loaded {
  readonly engine: Engine;
  readonly settings: Settings;
  /** Set when a config file is broken: every command is then denied with this reason. */
  readonly configError?: string;
}

let diskPacks: (() => readonly Pack[]) | undefined;

/** Lets tests (running from source, without the bundle) supply the packs read from rules/. */
export function setPackSource(source: () => readonly Pack[]): void {
  diskPacks = source;
}

function packs(): readonly Pack[] {
  const compiled = compiledPacks();
  if (compiled) return compiled;
  if (diskPacks) return diskPacks();
  throw new Error("no rule packs: build guard first (npm run build)");
}

// A long-lived process (the judgment server) judges many calls: an engine compiles its rules as they
// are first tried, so one built for the same rules is kept and reused rather than compiled again.
let plainEngine: Loaded | undefined;
const configured = new Map<string, Engine>();

export function loadEngine(projectRoot: string, env: NodeJS.ProcessEnv = process.env): Loaded {
  const builtin = packs();
  if (!anyConfigFile(projectRoot, env)) {
    if (plainEngine) return plainEngine;
    const layout = compiledLayout();
    const set = buildRuleSet(builtin);
    plainEngine = { engine: makeEngine(layout ? { ...set, layout } : set), settings: DEFAULT_SETTINGS };
    return plainEngine;
  }
  try {
    const cfg = loadConfig(projectRoot, env);
    // The config as loaded (its layers, after trust) decides the rules; the same layers, the same engine.
    const key = JSON.stringify(cfg.layers);
    let engine = configured.get(key);
    if (!engine) {
      engine = makeEngine(buildRuleSet(builtin, cfg.layers));
      if (configured.size >= 8) configured.clear();
      configured.set(key, engine);
    }
    return { engine, settings: cfg.settings };
  } catch (e) {
    return {
      engine: makeEngine(buildRuleSet(builtin)),
      settings: DEFAULT_SETTINGS,
      configError: e instanceof Error ? e.message : String(e),
    };
  }
}

export function judgeLine(command: string, ctx: Context, loaded: Loaded): Verdict {
  if (loaded.configError) {
    // The details (which file, what is wrong) are for guard doctor and check --explain, not for the agent.
    const reason = "guard's configuration is broken, so every command is blocked until it is repaired.";
    return {
      decision: "deny",
      reason: `core.config-error: ${reason}`,
      hits: [
        {
          id: "core.config-error",
          decision: "deny",
          reason,
          span: [0, command.length],
          invocation: -1,
          why: loaded.configError,
        },
      ],
      resolution: { invocations: [], signals: [] },
    };
  }
  return evaluate(command, ctx, loaded.engine);
}

// Normalizes an invocation's words into options and positionals, using what guard knows of the tool.
import type { Arg } from "../core/types.ts";
import type { ToolSpec } from "./rule.ts";

export interface Parsed {
  /** Option name -> values seen ("" for a boolean). `-rf` yields -r, -f and -rf. */
  readonly flags: ReadonlyMap<string, readonly string[]>;
  /** Positional words. */
  readonly positionals: readonly Arg[];
}

const EMPTY: ToolSpec = {};

/** A tool spec's option lists as sets, made once per spec. */
const SETS = new WeakMap<ToolSpec, { valued: ReadonlySet<string>; boolean: ReadonlySet<string> }>();
function specSets(spec: ToolSpec): { valued: ReadonlySet<string>; boolean: ReadonlySet<string> } {
  let sets = SETS.get(spec);
  if (!sets) {
    sets = { valued: new Set(spec.valued ?? []), boolean: new Set(spec.boolean ?? []) };
    SETS.set(spec, sets);
  }
  return sets;
}

function add(flags: Map<string, string[]>, name: string, value: string): void {
  const list = flags.get(name);
  if (list) list.push(value);
  else flags.set(name, [value]);
}

/**
 * Parses `args` (the words after the command name). With `unknownLongTakesValue`, a long option the spec
 * does not know consumes the next word: the judge tries both readings so a gap in a spec cannot hide a verb.
 */
export function parseOptions(
  args: readonly Arg[],
  spec: ToolSpec = EMPTY,
  unknownLongTakesValue = false,
): Parsed {
  const flags = new Map<string, string[]>();
  const positionals: Arg[] = [];
  const { valued, boolean } = specSets(spec);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.value;
    if (v === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (v.length < 2 || !v.startsWith("-") || a.dynamic || /^-\d+$/.test(v)) {
      positionals.push(a);
      continue;
    }
    const eq = v.indexOf("=");
    if (v.startsWith("--") || spec.single_dash_long) {
      const name = eq > 0 ? v.slice(0, eq) : v;
      if (eq > 0) add(flags, name, v.slice(eq + 1));
      else if (
        valued.has(name) ||
        (v.startsWith("--") &&
          !boolean.has(name) &&
          (spec.long_valued_by_default || (unknownLongTakesValue && !valued.has(name))))
      ) {
        const next = args[i + 1];
        if (next && !(next.value.startsWith("-") && next.value.length > 1 && !valued.has(name))) {
          add(flags, name, next.value);
          i++;
        } else add(flags, name, "");
      } else add(flags, name, "");
      continue;
    }
    // A short cluster: -rf, -n10, -nprod, -xvf file.
    if (valued.has(v)) {
      add(flags, v, args[i + 1]?.value ?? "");
      i++;
      continue;
    }
    add(flags, eq > 0 ? v.slice(0, eq) : v, eq > 0 ? v.slice(eq + 1) : "");
    for (let k = 1; k < v.length; k++) {
      const opt = "-" + v[k];
      if (valued.has(opt)) {
        const rest = v.slice(k + 1).replace(/^=/, "");
        if (rest) add(flags, opt, rest);
        else {
          add(flags, opt, args[i + 1]?.value ?? "");
          i++;
        }
        break;
      }
      if (v[k] === "=") break;
      add(flags, opt, "");
    }
  }
  return { flags, positionals };
}

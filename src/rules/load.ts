// Loads and validates rule packs and config files from YAML, with file:line:col errors.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Document } from "yaml";
import type { Match, Pack, Rule, ToolSpec, TargetClass, SqlKind, ContextCondition } from "../judge/rule.ts";
import type { SignalKind } from "../core/types.ts";
import { wordGlob } from "../judge/glob.ts";

export class RuleError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${col}: ${problem}`);
  }
}

const DECISIONS = new Set(["allow", "ask", "deny"]);
const TARGETS = new Set<TargetClass>(["root", "system", "home", "home-dotdir", "home-other", "home-top", "cache", "project-root", "project-source", "git-dir", "project", "tmp-root", "tmp", "device", "outside", "guard", "guard-secret", "decoy", "unknown"]);
const SQL = new Set<SqlKind>(["drop-table", "drop-database", "drop-test-database", "drop-other", "truncate", "delete-all", "update-all", "alter-drop", "flush-all", "shell-escape", "dynamic"]);
const SIGNALS = new Set<SignalKind>(["parse-error", "too-large", "too-deep", "dynamic-command", "dynamic-eval", "dynamic-shell-input", "remote-script-to-shell", "decoded-to-shell", "dynamic-interpreter-code", "function-override", "fork-bomb", "secret-printed", "decoy"]);
const CONTEXTS = new Set<ContextCondition>(["kube-protected", "git-protected", "remote", "db-local", "db-local-test"]);
const TARGET_ARGS = new Set(["all", "first", "last", "after-first", "before-last", "cwd"]);
const MATCH_KEYS = new Set(["contains", "command", "subcommand", "flags", "args", "argv", "argv_regex", "target", "redirect", "sql", "stdin_from", "signal", "via", "context", "env", "all_of", "any_of", "unless"]);
const RULE_KEYS = new Set(["id", "decision", "reason", "safer", "match", "escalate", "examples", "enabled"]);
const ID = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

class Reader {
  readonly lc = new LineCounter();
  readonly doc: Document;
  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lc, prettyErrors: false, uniqueKeys: true });
    const err = this.doc.errors[0];
    if (err) {
      const pos = this.lc.linePos(err.pos[0]);
      throw new RuleError(file, pos.line, pos.col, err.message.split("\n")[0] ?? "invalid YAML");
    }
  }
  fail(node: Node | null | undefined, problem: string): never {
    const at = node?.range?.[0] ?? 0;
    const pos = this.lc.linePos(at);
    throw new RuleError(this.file, pos.line, pos.col, problem);
  }
  get(map: Node, key: string): Node | undefined {
    if (!isMap(map)) return undefined;
    for (const item of map.items) if (isScalar(item.key) && item.key.value === key) return (item.value as Node | null) ?? undefined;
    return undefined;
  }
  keys(map: Node): { key: string; node: Node }[] {
    if (!isMap(map)) this.fail(map, "expected a mapping");
    return map.items.map((it) => {
      if (!isScalar(it.key)) this.fail(map, "expected a plain key");
      return { key: String(it.key.value), node: it.key as Node };
    });
  }
  string(node: Node | undefined, what: string): string {
    if (!node || !isScalar(node) || typeof node.value !== "string" || node.value === "") this.fail(node, `${what} must be a non-empty string`);
    return node.value as string;
  }
  strings(node: Node | undefined, what: string): string[] {
    if (node && isScalar(node)) return [this.string(node, what)];
    if (!node || !isSeq(node)) this.fail(node, `${what} must be a string or a list of strings`);
    return node.items.map((n) => this.string(n as Node, what));
  }
}

function checkKeys(r: Reader, node: Node, allowed: Set<string>, what: string): void {
  for (const { key, node: k } of r.keys(node)) if (!allowed.has(key)) r.fail(k, `unknown key "${key}" in ${what} (allowed: ${[...allowed].join(", ")})`);
}

function listMatch(r: Reader, node: Node, what: string): { any?: string[]; all?: string[]; none?: string[] } {
  if (isSeq(node) || isScalar(node)) return { any: r.strings(node, what) };
  checkKeys(r, node, new Set(["any", "all", "none"]), what);
  const out: { any?: string[]; all?: string[]; none?: string[] } = {};
  for (const k of ["any", "all", "none"] as const) {
    const v = r.get(node, k);
    if (v) out[k] = r.strings(v, `${what}.${k}`);
  }
  return out;
}

/** Every glob must compile now, so a bad pattern fails at load time with its position, not while judging. */
function checkGlobs(r: Reader, node: Node, patterns: readonly string[]): void {
  for (const p of patterns) {
    try {
      wordGlob(p);
    } catch (e) {
      r.fail(node, `invalid pattern "${p}": ${(e as Error).message}`);
    }
  }
}

function enumList<T extends string>(r: Reader, node: Node, allowed: Set<T>, what: string): T[] {
  const list = r.strings(node, what);
  if (isSeq(node)) list.forEach((v, i) => { if (!allowed.has(v as T)) r.fail(node.items[i] as Node, `unknown ${what} "${v}" (allowed: ${[...allowed].join(", ")})`); });
  else if (!allowed.has(list[0] as T)) r.fail(node, `unknown ${what} "${list[0]}" (allowed: ${[...allowed].join(", ")})`);
  return list as T[];
}

function match(r: Reader, node: Node): Match {
  checkKeys(r, node, MATCH_KEYS, "match");
  const m: Record<string, unknown> = {};
  for (const { key } of r.keys(node)) {
    const v = r.get(node, key) as Node;
    switch (key) {
      case "contains":
        m[key] = r.strings(v, key);
        break;
      case "command":
      case "subcommand":
      case "stdin_from":
      case "via":
        m[key] = r.strings(v, key);
        checkGlobs(r, v, (m[key] as string[]).flatMap((x) => x.split(" ")));
        break;
      case "flags":
      case "args":
      case "argv": {
        const lm = listMatch(r, v, key);
        checkGlobs(r, v, [...(lm.any ?? []), ...(lm.all ?? []), ...(lm.none ?? [])].map((x) => (key === "flags" && x.includes("=") ? x.slice(x.indexOf("=") + 1) : x)));
        m[key] = lm;
        break;
      }
      case "argv_regex": {
        const s = r.string(v, key);
        try {
          new RegExp(s);
        } catch (e) {
          r.fail(v, `argv_regex is not a valid regular expression: ${(e as Error).message}`);
        }
        m[key] = s;
        break;
      }
      case "target": {
        checkKeys(r, v, new Set(["args", "classes"]), "target");
        const args = r.get(v, "args");
        const classes = r.get(v, "classes");
        if (!classes) r.fail(v, "target needs classes");
        if (args && !TARGET_ARGS.has(r.string(args, "target.args"))) r.fail(args, `target.args must be one of ${[...TARGET_ARGS].join(", ")}`);
        m[key] = { ...(args ? { args: r.string(args, "target.args") } : {}), classes: enumList(r, classes, TARGETS, "target class") };
        break;
      }
      case "redirect": {
        checkKeys(r, v, new Set(["ops", "paths", "classes"]), "redirect");
        const out: Record<string, unknown> = {};
        const ops = r.get(v, "ops");
        const paths = r.get(v, "paths");
        const classes = r.get(v, "classes");
        if (ops) out["ops"] = r.strings(ops, "redirect.ops");
        if (paths) out["paths"] = r.strings(paths, "redirect.paths");
        if (classes) out["classes"] = enumList(r, classes, TARGETS, "target class");
        m[key] = out;
        break;
      }
      case "sql":
        m[key] = enumList(r, v, SQL, "sql kind");
        break;
      case "signal":
        m[key] = enumList(r, v, SIGNALS, "signal");
        break;
      case "context":
        m[key] = enumList(r, v, CONTEXTS, "context")[0];
        break;
      case "env": {
        const env: Record<string, string> = {};
        for (const { key: k } of r.keys(v)) env[k] = r.string(r.get(v, k), `env.${k}`);
        m[key] = env;
        break;
      }
      case "all_of":
      case "any_of":
        if (!isSeq(v)) r.fail(v, `${key} must be a list of matches`);
        m[key] = v.items.map((n) => match(r, n as Node));
        break;
      case "unless":
        m[key] = match(r, v);
        break;
    }
  }
  return m as Match;
}

function rule(r: Reader, node: Node, pack: string, seen: Map<string, string>): Rule {
  checkKeys(r, node, RULE_KEYS, "rule");
  const idNode = r.get(node, "id");
  const id = r.string(idNode, "id");
  if (!ID.test(id)) r.fail(idNode, `rule id "${id}" must look like pack.name (lowercase, dots and dashes)`);
  if (seen.has(id)) r.fail(idNode, `duplicate rule id "${id}" (first defined in ${seen.get(id)})`);
  seen.set(id, r.file);
  const decNode = r.get(node, "decision");
  const decision = r.string(decNode, "decision");
  if (!DECISIONS.has(decision)) r.fail(decNode, `decision must be allow, ask or deny, not "${decision}"`);
  const reason = r.string(r.get(node, "reason"), "reason");
  const safer = r.get(node, "safer");
  const mNode = r.get(node, "match");
  if (!mNode) r.fail(node, `rule ${id} needs a match`);
  const m = match(r, mNode);
  if (Object.keys(m).length === 0) r.fail(mNode, `rule ${id}: an empty match would match everything`);
  const out: Record<string, unknown> = { id, decision, reason, match: m, pack };
  if (safer) out["safer"] = r.string(safer, "safer");
  const esc = r.get(node, "escalate");
  if (esc) {
    if (!isSeq(esc)) r.fail(esc, "escalate must be a list");
    out["escalate"] = esc.items.map((e) => {
      checkKeys(r, e as Node, new Set(["when", "decision"]), "escalate");
      const when = enumList(r, r.get(e as Node, "when") as Node, CONTEXTS, "context")[0];
      const d = r.string(r.get(e as Node, "decision"), "escalate.decision");
      if (!DECISIONS.has(d)) r.fail(e as Node, "escalate.decision must be allow, ask or deny");
      return { when, decision: d };
    });
  }
  const ex = r.get(node, "examples");
  if (ex) {
    checkKeys(r, ex, new Set(["block", "pass"]), "examples");
    const block = r.get(ex, "block");
    const pass = r.get(ex, "pass");
    out["examples"] = { ...(block ? { block: r.strings(block, "examples.block") } : {}), ...(pass ? { pass: r.strings(pass, "examples.pass") } : {}) };
  }
  const enabled = r.get(node, "enabled");
  if (enabled) {
    if (!isScalar(enabled) || typeof enabled.value !== "boolean") r.fail(enabled, "enabled must be true or false");
    out["enabled"] = enabled.value;
  }
  return out as unknown as Rule;
}

function tools(r: Reader, node: Node): Record<string, ToolSpec> {
  const out: Record<string, ToolSpec> = {};
  for (const { key } of r.keys(node)) {
    const spec = r.get(node, key) as Node;
    checkKeys(r, spec, new Set(["valued", "boolean", "long_valued_by_default", "single_dash_long"]), `tools.${key}`);
    const t: Record<string, unknown> = {};
    for (const k of ["valued", "boolean"]) {
      const v = r.get(spec, k);
      if (v) t[k] = r.strings(v, `tools.${key}.${k}`);
    }
    for (const k of ["long_valued_by_default", "single_dash_long"]) {
      const v = r.get(spec, k);
      if (v) t[k] = isScalar(v) && v.value === true;
    }
    out[key] = t as ToolSpec;
  }
  return out;
}

/** Parses one pack file. Throws RuleError with file:line:col on any problem. */
export function loadPack(file: string, text: string, seen = new Map<string, string>()): Pack {
  const r = new Reader(file, text);
  const contents = r.doc.contents as Node | null;
  if (!contents) r.fail(undefined, "empty rule file");
  const root: Node = contents as Node;
  checkKeys(r, root, new Set(["pack", "description", "rules", "tools"]), "pack file");
  const name = r.string(r.get(root, "pack"), "pack");
  const description = r.string(r.get(root, "description"), "description");
  const rulesNode = r.get(root, "rules");
  if (rulesNode && !isSeq(rulesNode)) r.fail(rulesNode, "rules must be a list");
  const rules = rulesNode && isSeq(rulesNode) ? rulesNode.items.map((n) => rule(r, n as Node, name, seen)) : [];
  const t = r.get(root, "tools");
  return { name, description, rules, tools: t ? tools(r, t) : {} };
}

export { Reader, match as readMatch, rule as readRule, checkKeys };

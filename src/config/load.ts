// Reads config files (user, project, managed) into layers. A broken file is an error, never ignored.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readRegular } from "../act/read-regular.ts";
import { join } from "node:path";
import { isMap, isSeq, type Node } from "yaml";
import type { ContextConfig, Rule, RuleDecision, ToolSpec } from "../judge/rule.ts";
import { Reader, checkKeys, readRule, RuleError } from "../rules/load.ts";
import type { ConfigLayer } from "./ruleset.ts";
import { wordGlob } from "../judge/glob.ts";
import { DEFAULT_SETTINGS, type Settings } from "./settings.ts";
import { guardConfigDir, managedConfigPath, PROJECT_CONFIG_NAMES } from "./paths.ts";

export { DEFAULT_SETTINGS, type Settings } from "./settings.ts";
export { configHome, guardConfigDir, stateDir, MANAGED_CONFIG, PROJECT_CONFIG_NAMES } from "./paths.ts";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Trusted project files: absolute path -> sha256 of the exact content the user approved on the TTY. */
export function trustFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(guardConfigDir(env), "trusted.json");
}

function readTrust(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    const v: unknown = JSON.parse(readFileSync(trustFile(env), "utf8"));
    return v && typeof v === "object" ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function allowRule(pattern: string, i: number, file: string): Rule {
  const words = pattern.trim().split(/\s+/);
  const [cmd = "", ...rest] = words;
  const rx = wordGlob(rest.join(" ")).source;
  return {
    id: `config.allow-${i + 1}`,
    decision: "allow",
    reason: `allowed by ${file}: ${pattern}`,
    match: { command: [cmd], ...(rest.length ? { argv_regex: rx } : { argv: { none: ["*"] } }) },
    pack: "config",
  };
}

export interface ParsedConfig {
  readonly layer: ConfigLayer;
  readonly settings: Partial<Settings>;
}

export function parseConfig(file: string, text: string, trust: ConfigLayer["trust"]): ParsedConfig {
  const r = new Reader(file, text);
  const root = r.doc.contents as Node | null;
  if (!root) return { layer: { file, trust, rules: [], overrides: {} }, settings: {} };
  checkKeys(
    r,
    root,
    new Set(["rules", "override", "allow", "context", "tools", "prompt", "hosts", "mcp"]),
    "config",
  );
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  const rulesNode = r.get(root, "rules");
  if (rulesNode) {
    if (!isSeq(rulesNode)) return r.fail(rulesNode, "rules must be a list");
    for (const n of rulesNode.items) rules.push(readRule(r, n as Node, "config", seen));
  }
  const overrides: Record<string, RuleDecision | "off"> = {};
  const ov = r.get(root, "override");
  if (ov) {
    for (const { key } of r.keys(ov)) {
      const v = r.string(r.get(ov, key), `override.${key}`);
      if (!["allow", "ask", "deny", "off"].includes(v))
        r.fail(r.get(ov, key), `override.${key} must be allow, ask, deny or off`);
      overrides[key] = v as RuleDecision | "off";
    }
  }
  const allow = r.get(root, "allow");
  if (allow) r.strings(allow, "allow").forEach((p, i) => rules.push(allowRule(p, i, file)));
  let context: Partial<ContextConfig> | undefined;
  const c = r.get(root, "context");
  if (c) {
    checkKeys(
      r,
      c,
      new Set(["kube_protected_contexts", "kube_protected_namespaces", "git_protected_branches"]),
      "context",
    );
    const get = (k: string) => (r.get(c, k) ? r.strings(r.get(c, k), `context.${k}`) : undefined);
    const kc = get("kube_protected_contexts");
    const kn = get("kube_protected_namespaces");
    const gb = get("git_protected_branches");
    context = {
      ...(kc ? { kubeProtectedContexts: kc } : {}),
      ...(kn ? { kubeProtectedNamespaces: kn } : {}),
      ...(gb ? { gitProtectedBranches: gb } : {}),
    };
  }
  const settings: { -readonly [K in keyof Settings]?: Settings[K] } = {};
  const prompt = r.get(root, "prompt");
  if (prompt) {
    checkKeys(r, prompt, new Set(["timeout"]), "prompt");
    const t = r.get(prompt, "timeout");
    const n = Number(t && "value" in t ? (t as { value: unknown }).value : NaN);
    if (!Number.isFinite(n) || n <= 0 || n > 3600)
      r.fail(t ?? prompt, "prompt.timeout must be a number of seconds from 1 to 3600");
    settings.promptTimeout = n;
  }
  const hosts = r.get(root, "hosts");
  if (hosts) {
    const strategy: Record<string, "native" | "tty" | "deny"> = {};
    for (const { key } of r.keys(hosts)) {
      const h = r.get(hosts, key) as Node;
      checkKeys(r, h, new Set(["ask"]), `hosts.${key}`);
      const v = r.string(r.get(h, "ask"), `hosts.${key}.ask`);
      if (!["native", "tty", "deny"].includes(v))
        r.fail(r.get(h, "ask"), `hosts.${key}.ask must be native, tty or deny`);
      strategy[key] = v as "native" | "tty" | "deny";
    }
    settings.askStrategy = { ...DEFAULT_SETTINGS.askStrategy, ...strategy };
  }
  const mcp = r.get(root, "mcp");
  if (mcp) {
    checkKeys(r, mcp, new Set(["ask_words"]), "mcp");
    settings.mcpAskWords = r.strings(r.get(mcp, "ask_words"), "mcp.ask_words");
  }
  const toolsNode = r.get(root, "tools");
  let tools: Record<string, ToolSpec> | undefined;
  if (toolsNode && isMap(toolsNode)) tools = {};
  return {
    layer: { file, trust, rules, overrides, ...(context ? { context } : {}), ...(tools ? { tools } : {}) },
    settings: trust === "project" ? {} : settings,
  };
}

export interface LoadedConfig {
  readonly layers: ConfigLayer[];
  readonly settings: Settings;
  /** Project config files that exist but are not trusted (they can only tighten). */
  readonly untrusted: string[];
}

/** Reads managed, user and project config. Throws RuleError on a broken file. */
export function loadConfig(projectRoot: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const layers: ConfigLayer[] = [];
  const untrusted: string[] = [];
  let settings: Settings = DEFAULT_SETTINGS;
  const add = (file: string, trust: ConfigLayer["trust"], text: string) => {
    const p = parseConfig(file, text, trust);
    layers.push(p.layer);
    settings = { ...settings, ...p.settings };
  };
  // Managed config first: nothing after it may loosen what it sets (see buildRuleSet).
  const managed = managedConfigPath(env);
  if (existsSync(managed)) add(managed, "managed", readFileSync(managed, "utf8"));
  const userFile = join(guardConfigDir(env), "config.yaml");
  if (existsSync(userFile)) add(userFile, "user", readFileSync(userFile, "utf8"));
  const trusted = readTrust(env);
  for (const name of PROJECT_CONFIG_NAMES) {
    const f = join(projectRoot, name);
    if (!existsSync(f) || f === userFile) continue;
    // In the project, where an agent can put a FIFO in its place: only a regular file is read.
    const text = readRegular(f, 1 << 20).toString("utf8");
    const ok = trusted[f] === sha256(text);
    if (!ok) untrusted.push(f);
    add(f, ok ? "project-trusted" : "project", text);
  }
  return { layers, settings, untrusted };
}

export { RuleError };

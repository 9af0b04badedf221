// kubectl and helm: the cluster context, namespace and objects a command acts on, from its flags, the
// current kubeconfig and any local manifest it names (guard does not contact the cluster).
import { readFileSync, statSync } from "node:fs";
import type { Context, Invocation } from "../../core/types.ts";
import { resolvePath } from "../../resolve/paths.ts";
import type { Effect } from "./effect.ts";
import { clip, count } from "./format.ts";

const VALUED = new Set([
  "--context",
  "-n",
  "--namespace",
  "--kubeconfig",
  "-s",
  "--server",
  "--cluster",
  "--user",
  "-l",
  "--selector",
  "-f",
  "--filename",
  "-o",
  "--output",
  "--field-selector",
  "--grace-period",
  "--timeout",
  "-c",
  "--container",
  "--kube-context",
  "--kube-namespace",
  "--type",
  "-p",
  "--patch",
  "--replicas",
  "-k",
  "--kustomize",
]);
const EFFECT: Record<string, { undo: string; reversibility: Effect["reversibility"] }> = {
  delete: {
    reversibility: "irreversible",
    undo: "deleted objects are gone, with their data for volumes and namespaces; only what is in manifests can be recreated",
  },
  uninstall: {
    reversibility: "irreversible",
    undo: "the release's objects are deleted, with their data for volumes",
  },
  drain: {
    reversibility: "reversible",
    undo: "kubectl uncordon lets pods back, but running pods are evicted now",
  },
  scale: { reversibility: "reversible", undo: "scale back to the previous replica count" },
  replace: { reversibility: "reversible", undo: "re-apply the previous spec (if you have it)" },
  apply: { reversibility: "reversible", undo: "re-apply the previous spec (if you have it)" },
  patch: { reversibility: "reversible", undo: "patch back to the previous values (if you know them)" },
};

interface Flags {
  readonly values: Map<string, string[]>;
  readonly words: string[];
}

function readFlags(args: readonly string[]): Flags {
  const values = new Map<string, string[]>();
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") break;
    const eq = a.indexOf("=");
    const name = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    if (VALUED.has(name)) {
      const v = eq > 0 && a.startsWith("--") ? a.slice(eq + 1) : (args[++i] ?? "");
      values.set(name, [...(values.get(name) ?? []), v]);
    } else if (/^-[nlfc]./.test(a) && !a.startsWith("--"))
      values.set(a.slice(0, 2), [...(values.get(a.slice(0, 2)) ?? []), a.slice(2)]);
    else if (a.startsWith("-")) values.set(a, [""]);
    else words.push(a);
  }
  return { values, words };
}

function first(f: Flags, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = f.values.get(n);
    if (v?.length) return v[v.length - 1];
  }
  return undefined;
}

/**
 * kind/name of each object in a block-style manifest (documents split by ---, a top-level kind, and
 * metadata's name and namespace). Read by hand: the prompt also runs from the hook's hot path.
 */
export function manifestKinds(text: string): string[] {
  const out: string[] = [];
  for (const doc of text.split(/^---[^\n]*$/m)) {
    const kind = /^kind:\s*["']?([\w.-]+)/m.exec(doc)?.[1];
    if (!kind) continue;
    const meta = /^metadata:[^\n]*\n((?:[ \t]+[^\n]*\n?|\s*\n)*)/m.exec(doc)?.[1] ?? "";
    const indent = /^([ \t]+)\S/m.exec(meta)?.[1] ?? "  ";
    const field = (k: string) => new RegExp(`^${indent}${k}:\\s*["']?([^"'\\s#]+)`, "m").exec(meta)?.[1];
    const ns = field("namespace");
    out.push(`${kind.toLowerCase()}/${field("name") ?? "?"}${ns ? ` (namespace ${ns})` : ""}`);
  }
  return out;
}

/** kind/name of each object in local manifest files. */
function manifestObjects(files: readonly string[], cwd: string | undefined, home: string): string[] {
  const out: string[] = [];
  for (const f of files) {
    const path = resolvePath(cwd, f, home);
    try {
      if (!path || f === "-" || /^https?:/.test(f) || statSync(path).size > 1 << 20)
        throw new Error("not read");
      const objects = manifestKinds(readFileSync(path, "utf8"));
      out.push(...(objects.length ? objects : [`${f} (no objects found)`]));
    } catch {
      out.push(`${f} (not read)`);
    }
  }
  return out;
}

export function kubePreview(inv: Invocation, ctx: Context): Effect | undefined {
  if (inv.name !== "kubectl" && inv.name !== "helm" && inv.name !== "oc") return undefined;
  const args = inv.argv.slice(1).map((a) => a.value);
  const f = readFlags(args);
  const [verb = "", ...rest] = f.words;
  const effect = EFFECT[verb === "del" ? "uninstall" : verb];
  if (!effect && !(inv.name === "helm" && ["upgrade", "rollback"].includes(verb))) return undefined;
  const context =
    first(f, "--context", "--kube-context") ?? ctx.kubeContext ?? "unknown (no current context)";
  const all = f.values.has("-A") || f.values.has("--all-namespaces");
  const namespace = all
    ? "every namespace (-A)"
    : (first(f, "-n", "--namespace", "--kube-namespace") ?? ctx.kubeNamespace ?? "default");
  let objects: string[];
  const selector = first(f, "-l", "--selector");
  const files = [...(f.values.get("-f") ?? []), ...(f.values.get("--filename") ?? [])];
  if (inv.name === "helm") objects = rest.length ? rest.map((r) => `release ${r}`) : ["(no release named)"];
  else if (files.length) objects = manifestObjects(files, inv.cwd, ctx.home);
  else if (rest[0]?.includes("/")) objects = rest;
  else {
    const type = rest[0] ?? "?";
    const names = rest.slice(1);
    objects = names.length
      ? names.map((n) => `${type}/${n}`)
      : selector
        ? [`every ${type} matching ${selector}`]
        : f.values.has("--all")
          ? [`every ${type} (--all)`]
          : [`${type} (no name given)`];
  }
  const shown = objects.slice(0, 12);
  if (objects.length > 12) shown.push(`… and ${count(objects.length - 12, "more object")}`);
  const broad = all || selector !== undefined || f.values.has("--all") || verb === "drain";
  return {
    title: clip(inv.argv.map((a) => a.text).join(" "), 100),
    lines: [`context    ${context}`, `namespace  ${namespace}`, `objects    ${shown.join(", ")}`],
    scope: broad ? `${objects.join(", ")} in ${namespace}` : count(objects.length, "object"),
    reversibility: effect?.reversibility ?? "reversible",
    undo: effect?.undo ?? "helm rollback to the previous revision",
    coupling: `cluster ${context}: workloads, services and users of namespace ${namespace}`,
  };
}

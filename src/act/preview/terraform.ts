// terraform / tofu: the workspace a command acts on and, for local state, the resources in it.
import { readFileSync, statSync } from "node:fs";
import type { Context, Invocation } from "../../core/types.ts";
import { resolvePath } from "../../resolve/paths.ts";
import type { Effect } from "./effect.ts";
import { clip, count } from "./format.ts";

const NAMES = new Set(["terraform", "tofu", "terragrunt"]);
const SUBS: Record<string, { undo: string; reversibility: Effect["reversibility"] }> = {
  destroy: {
    reversibility: "irreversible",
    undo: "destroyed resources take their data with them (databases, buckets, disks); re-creating gives new, empty ones",
  },
  apply: {
    reversibility: "irreversible",
    undo: "whatever the plan replaces or destroys is gone; run terraform plan to see it",
  },
  state: {
    reversibility: "recoverable",
    undo: "terraform's state backups (terraform.tfstate.backup) or the backend's versions",
  },
  import: { reversibility: "reversible", undo: "terraform state rm" },
  taint: { reversibility: "reversible", undo: "terraform untaint" },
  "force-unlock": {
    reversibility: "reversible",
    undo: "the lock protects a run in progress: two runs may now write the state",
  },
  workspace: { reversibility: "irreversible", undo: "a deleted workspace's state is gone" },
};

function readSmall(path: string): string | undefined {
  try {
    if (statSync(path).size > 32 << 20) return undefined;
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Resource addresses in a local state file. */
function stateResources(path: string): string[] | undefined {
  const text = readSmall(path);
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as {
      resources?: { mode?: string; type?: string; name?: string; module?: string; instances?: unknown[] }[];
    };
    return (s.resources ?? [])
      .filter((r) => r.mode !== "data")
      .flatMap((r) =>
        Array.from(
          { length: Math.max(1, r.instances?.length ?? 1) },
          () => `${r.module ? r.module + "." : ""}${r.type}.${r.name}`,
        ),
      );
  } catch {
    return undefined;
  }
}

export function terraformPreview(inv: Invocation, ctx: Context, env: NodeJS.ProcessEnv): Effect | undefined {
  if (!NAMES.has(inv.name)) return undefined;
  const args = inv.argv.slice(1).map((a) => a.value);
  const chdir = args.find((a) => a.startsWith("-chdir="))?.slice(7);
  const words = args.filter((a) => !a.startsWith("-"));
  const sub = words[0] ?? "";
  const effect = SUBS[sub];
  if (!effect) return undefined;
  const dir = resolvePath(inv.cwd, chdir ?? ".", ctx.home);
  if (!dir) return undefined;
  const workspace =
    inv.env["TF_WORKSPACE"] ??
    env["TF_WORKSPACE"] ??
    readSmall(`${dir}/.terraform/environment`)?.trim() ??
    "default";
  const lines = [`directory  ${dir}`, `workspace  ${workspace}`];
  const targets = args.filter((a) => a.startsWith("-target=")).map((a) => a.slice(8));
  if (targets.length) lines.push(`targets    ${targets.join(", ")}`);
  if (args.includes("-auto-approve"))
    lines.push("-auto-approve: terraform will not ask for confirmation itself");
  let scope = `every resource in workspace ${workspace}`;
  const backend = readSmall(`${dir}/.terraform/terraform.tfstate`);
  const remote = backend ? /"type"\s*:\s*"([^"]+)"/.exec(backend)?.[1] : undefined;
  if (remote && remote !== "local")
    lines.push(`state      in the ${remote} backend (guard does not read remote state)`);
  else {
    const file =
      workspace === "default"
        ? `${dir}/terraform.tfstate`
        : `${dir}/terraform.tfstate.d/${workspace}/terraform.tfstate`;
    const resources = stateResources(file);
    if (resources) {
      lines.push(`state      ${file}: ${count(resources.length, "resource")}`);
      for (const r of resources.slice(0, 10)) lines.push(`  ${clip(r, 90)}`);
      if (resources.length > 10) lines.push(`  … and ${count(resources.length - 10, "more")}`);
      if (sub === "destroy" && !targets.length)
        scope = `${count(resources.length, "resource")} in workspace ${workspace}`;
    } else lines.push("state      no local state found");
  }
  if (targets.length)
    scope = `${count(targets.length, "target")} (and what depends on them) in workspace ${workspace}`;
  if (sub !== "destroy" && !targets.length) scope = `terraform ${sub} in workspace ${workspace}`;
  return {
    title: clip(inv.argv.map((a) => a.text).join(" "), 100),
    lines,
    scope,
    reversibility: effect.reversibility,
    undo: effect.undo,
    coupling: "applications, DNS and other stacks that use these resources",
  };
}

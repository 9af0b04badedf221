// Reads the world around a command (cwd, home, project root, kube context, git branch) for the pure core.
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Context } from "../core/types.ts";
import { readRegular } from "./read-regular.ts";
import { protectedPaths, secretPaths } from "./guard-paths.ts";

function readSmall(path: string): string | undefined {
  try {
    return readRegular(path, 1 << 20).toString("utf8");
  } catch {
    return undefined;
  }
}

/** The enclosing git work tree's root, or undefined. */
export function gitRoot(start: string): string | undefined {
  let dir = start;
  for (let i = 0; i < 64; i++) {
    if (existsSync(join(dir, ".git"))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

function gitBranch(root: string | undefined): string | undefined {
  if (!root) return undefined;
  let gitDir = join(root, ".git");
  try {
    if (statSync(gitDir).isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(readSmall(gitDir) ?? "");
      if (m) gitDir = resolve(root, (m[1] as string).trim());
    }
  } catch {
    return undefined;
  }
  const head = readSmall(join(gitDir, "HEAD"));
  const m = head ? /^ref:\s*refs\/heads\/(.+)$/m.exec(head) : null;
  return m ? (m[1] as string).trim() : undefined;
}

function kube(env: NodeJS.ProcessEnv, home: string): { context?: string; namespace?: string } {
  const file = (env["KUBECONFIG"] ?? "").split(":").find(Boolean) ?? join(home, ".kube", "config");
  const text = readSmall(file);
  if (!text) return {};
  const context = /^current-context:\s*"?([^"\n]+?)"?\s*$/m.exec(text)?.[1];
  if (!context) return {};
  // The namespace of the current context, from a simple block-style kubeconfig.
  const block = text
    .split(/\n-\s+context:/)
    .find((b) =>
      new RegExp(`\\n\\s+name:\\s*"?${context.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*(\\n|$)`).test(
        "\n" + b,
      ),
    );
  const namespace = block ? /namespace:\s*"?([^"\n]+?)"?\s*$/m.exec(block)?.[1] : undefined;
  return { context, ...(namespace ? { namespace } : {}) };
}

export function readContext(cwd: string, env: NodeJS.ProcessEnv = process.env, projectDir?: string): Context {
  const home = env["HOME"] || homedir();
  const abs = resolve(cwd);
  const root = projectDir ? resolve(projectDir) : (gitRoot(abs) ?? abs);
  const k = kube(env, home);
  const branch = gitBranch(gitRoot(abs));
  const tfWs = env["TF_WORKSPACE"];
  return {
    cwd: abs,
    home,
    projectRoot: root,
    env: {},
    ...(k.context ? { kubeContext: k.context } : {}),
    ...(k.namespace ? { kubeNamespace: k.namespace } : {}),
    ...(branch ? { gitBranch: branch } : {}),
    ...(tfWs ? { terraformWorkspace: tfWs } : {}),
    protectedPaths: protectedPaths(env, root),
    secretPaths: secretPaths(env),
    readScript,
  };
}

/** Scripts larger than this are not read (they run anyway; what is in them is not judged). */
export const SCRIPT_MAX_BYTES = 256 * 1024;

/**
 * A script or SQL file's text, for judging what running it would do: a regular file of at most
 * SCRIPT_MAX_BYTES that is text (stray NUL bytes are dropped, as shells do). Opened non-blocking, so a FIFO
 * cannot stall the hook.
 */
export function readScript(path: string): string | undefined {
  // A process's own descriptors would be guard's (its stdin is the hook payload), not the command's.
  if (/^\/(dev\/(fd|stdin|stdout|stderr)|proc\/(self|thread-self|\d+))(\/|$)/.test(path)) return undefined;
  try {
    const data = readRegular(path, SCRIPT_MAX_BYTES);
    if (!data.includes(0)) return data.toString("utf8");
    // bash refuses a file with a NUL in its first line as binary; after that, NUL bytes are dropped and the
    // rest runs (`r\0m -rf ~` runs rm). Judge it as the shell reads it.
    const firstLine = data.subarray(0, 80);
    const nl = firstLine.indexOf(10);
    if (firstLine.subarray(0, nl < 0 ? firstLine.length : nl).includes(0)) return undefined;
    return data.toString("utf8").replace(/\0/g, "");
  } catch {
    return undefined;
  }
}

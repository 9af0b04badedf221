// bin/guard keeps a V8 code cache of the hot-path bundle in the state directory. V8 rejects a cache made
// with other flags, so each way of starting node gets its own file, and none is rewritten on later runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, GUARD } from "./build.ts";

const home = mkdtempSync(join(tmpdir(), "guard-cache-"));
const cacheDir = join(home, "state", "guard", "cache");

function check(nodeOptions?: string): number | null {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"] ?? "",
    HOME: home,
    XDG_STATE_HOME: join(home, "state"),
    XDG_CONFIG_HOME: join(home, "config"),
  };
  if (nodeOptions) env["NODE_OPTIONS"] = nodeOptions;
  return spawnSync(process.execPath, [GUARD, "check", "--", "rm -rf /"], { env, timeout: 20_000 }).status;
}

const files = () => readdirSync(cacheDir).filter((f) => f.endsWith(".v8"));

describe("the hot path's code cache", () => {
  beforeAll(() => ensureBuilt());

  it("is written once per node and flags, and left alone by later runs", () => {
    expect(check()).toBe(4);
    expect(files()).toHaveLength(1);
    expect(check("--max-old-space-size=4000")).toBe(4);
    const both = files();
    expect(both).toHaveLength(2);
    const mtimes = both.map((f) => statSync(join(cacheDir, f)).mtimeMs);
    expect(check()).toBe(4);
    expect(check("--max-old-space-size=4000")).toBe(4);
    expect(files()).toEqual(both);
    expect(both.map((f) => statSync(join(cacheDir, f)).mtimeMs)).toEqual(mtimes);
  });

  it("survives a damaged cache file: the verdict stands and the file is rewritten", () => {
    for (const f of files()) writeFileSync(join(cacheDir, f), "not a code cache");
    expect(check()).toBe(4);
    const sizes = files().map((f) => statSync(join(cacheDir, f)).size);
    expect(sizes.sort((a, b) => a - b)).toEqual([16, expect.any(Number)]);
    expect(Math.max(...sizes)).toBeGreaterThan(1000);
  });
});

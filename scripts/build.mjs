// Builds dist/: compiles the rule packs into the bundles, and bundles the two entry points.
// dist/fast.cjs serves the hot path (hook, check); dist/cli.cjs everything else.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });

const compiler = join(dist, "compile-rules.cjs");
await build({
  entryPoints: [join(root, "scripts/compile-rules.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  outfile: compiler,
  logLevel: "warning",
});
let packs;
try {
  packs = execFileSync(process.execPath, [compiler, join(root, "rules"), dist], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
} catch {
  process.exit(1);
} finally {
  rmSync(compiler, { force: true });
}

const full = JSON.parse(packs);
const pathGlobsFile = join(dist, "path-globs.json");
const pathGlobs = readFileSync(pathGlobsFile, "utf8");
rmSync(pathGlobsFile);

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // GUARD_NO_MINIFY=1 keeps names readable in CPU profiles.
  minify: !process.env.GUARD_NO_MINIFY,
  legalComments: "none",
  // A JSON string parsed once at start-up is cheaper than the same data as a JavaScript literal.
  define: {
    __GUARD_PACKS__: JSON.stringify(JSON.stringify(full)),
    // The rules' path globs, compiled by picomatch at build time.
    __GUARD_PATH_GLOBS__: JSON.stringify(pathGlobs),
  },
  logLevel: "warning",
};
// The hot path loads the YAML parser (dist/config.cjs) only when a config file exists.
const lazyConfig = {
  name: "lazy-config",
  setup(b) {
    b.onResolve({ filter: /config\/loader\.ts$/ }, () => ({
      path: join(root, "src/config/loader-bundled.ts"),
    }));
  },
};
await build({
  ...common,
  define: { __GUARD_PATH_GLOBS__: common.define.__GUARD_PATH_GLOBS__, __GUARD_RULE_FILES__: "true" },
  entryPoints: [join(root, "src/cli/fast.ts")],
  outfile: join(dist, "fast.cjs"),
  plugins: [lazyConfig],
});
await build({
  ...common,
  entryPoints: [join(root, "src/config/load.ts")],
  outfile: join(dist, "config.cjs"),
});
await build({ ...common, entryPoints: [join(root, "src/cli/cli.ts")], outfile: join(dist, "cli.cjs") });

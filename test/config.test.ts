// Configuration layers: users add rules, change decisions and allow patterns; an untrusted project file
// only tightens; a trusted one (by hash) may loosen; managed config cannot be loosened; broken config denies.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildRuleSet, type ConfigLayer } from "../src/config/ruleset.ts";
import { parseConfig, sha256 } from "../src/config/load.ts";
import { evaluate, makeEngine } from "../src/core/evaluate.ts";
import { judgeLine, loadEngine, setPackSource } from "../src/cli/engine.ts";
import { CTX, PACKS } from "./helpers.ts";

setPackSource(() => PACKS);

function verdict(cmd: string, layers: ConfigLayer[]) {
  return evaluate(cmd, CTX, makeEngine(buildRuleSet(PACKS, layers)));
}
const layer = (text: string, trust: ConfigLayer["trust"]) =>
  parseConfig(`/cfg/${trust}.yaml`, text, trust).layer;

describe("user config", () => {
  it("changes a built-in rule's decision", () => {
    expect(verdict("git push --force-with-lease", []).decision).toBe("ask");
    expect(
      verdict("git push --force-with-lease", [
        layer("override:\n  git.push-force-with-lease: deny\n", "user"),
      ]).decision,
    ).toBe("deny");
    expect(
      verdict("git push --force-with-lease", [layer("override:\n  git.push-force-with-lease: off\n", "user")])
        .decision,
    ).toBe("none");
  });
  it("adds rules", () => {
    const l = layer(
      "rules:\n  - id: my.no-prod-psql\n    decision: deny\n    reason: no SQL on prod\n    match: { command: [psql], argv: { any: ['*prod-db*'] } }\n",
      "user",
    );
    expect(verdict("psql -h prod-db.internal -c 'select 1'", [l]).hits[0]?.id).toBe("my.no-prod-psql");
    expect(verdict("psql -h localhost -c 'select 1'", [l]).decision).toBe("none");
  });
  it("allows a pattern explicitly", () => {
    const l = layer('allow:\n  - "make test*"\n', "user");
    expect(verdict("make test-unit", [l]).decision).toBe("allow");
    expect(verdict("make deploy", [l]).decision).toBe("none");
    // An allow never excuses a dangerous command in the same line.
    expect(verdict("make test && rm -rf ~", [l]).decision).toBe("deny");
  });
  it("sets protected contexts", () => {
    const l = layer("context:\n  kube_protected_contexts: ['staging-*']\n", "user");
    expect(
      evaluate(
        "kubectl delete pod web-1",
        { ...CTX, kubeContext: "staging-eu" },
        makeEngine(buildRuleSet(PACKS, [l])),
      ).decision,
    ).toBe("deny");
  });
});

describe("project config", () => {
  const loosen =
    "override:\n  fs.rm-recursive-critical: allow\n  git.push-force: off\nallow:\n  - 'terraform destroy*'\n";
  it("untrusted, it cannot loosen anything", () => {
    const l = layer(loosen, "project");
    expect(verdict("rm -rf /", [l]).decision).toBe("deny");
    expect(verdict("git push -f", [l]).decision).toBe("deny");
    expect(verdict("terraform destroy", [l]).decision).toBe("deny");
  });
  it("untrusted, it can tighten", () => {
    const l = layer(
      "override:\n  git.push-force-with-lease: deny\nrules:\n  - id: proj.no-curl\n    decision: deny\n    reason: no network here\n    match: { command: [curl] }\n",
      "project",
    );
    expect(verdict("git push --force-with-lease", [l]).decision).toBe("deny");
    expect(verdict("curl -s https://example.com", [l]).decision).toBe("deny");
  });
  it("trusted by hash, it may loosen", () => {
    const l = layer(loosen, "project-trusted");
    expect(verdict("git push -f", [l]).decision).toBe("none");
  });
  it("trust is by the exact content: loadConfig trusts only the hashed text", () => {
    const root = mkdtempSync(join(tmpdir(), "guard-cfg-"));
    const project = join(root, "project");
    mkdirSync(join(project, ".guard"), { recursive: true });
    const file = join(project, ".guard", "config.yaml");
    writeFileSync(file, loosen);
    const env = {
      HOME: join(root, "home"),
      XDG_CONFIG_HOME: join(root, "config"),
      GUARD_MANAGED_CONFIG: join(root, "none.yaml"),
    };
    mkdirSync(join(root, "config", "guard"), { recursive: true });
    const run = () =>
      judgeLine("git push -f", { ...CTX, projectRoot: project, cwd: project }, loadEngine(project, env))
        .decision;
    expect(run()).toBe("deny");
    writeFileSync(join(root, "config", "guard", "trusted.json"), JSON.stringify({ [file]: sha256(loosen) }));
    expect(run()).toBe("none");
    writeFileSync(file, loosen + "# edited by someone\n");
    expect(run()).toBe("deny");
  });
});

describe("managed config", () => {
  it("cannot be loosened by user config", () => {
    const managed = layer("override:\n  git.push-force-with-lease: deny\n", "managed");
    const user = layer("override:\n  git.push-force-with-lease: allow\n", "user");
    expect(verdict("git push --force-with-lease", [managed, user]).decision).toBe("deny");
  });
});

describe("a broken config file", () => {
  it("denies everything; file, line, column and problem go to the explanation, not the reason", () => {
    const root = mkdtempSync(join(tmpdir(), "guard-cfg-"));
    mkdirSync(join(root, "config", "guard"), { recursive: true });
    writeFileSync(join(root, "config", "guard", "config.yaml"), "override:\n  git.push-force: maybe\n");
    const env = {
      HOME: join(root, "home"),
      XDG_CONFIG_HOME: join(root, "config"),
      GUARD_MANAGED_CONFIG: join(root, "none.yaml"),
    };
    const loaded = loadEngine(root, env);
    const v = judgeLine("ls", CTX, loaded);
    expect(v.decision).toBe("deny");
    expect(v.hits[0]?.why).toMatch(
      /config\.yaml:2:\d+: override\.git\.push-force must be allow, ask, deny or off/,
    );
    // What the agent is told names neither the file nor the settings that would loosen guard.
    expect(v.reason).not.toMatch(/config\.yaml|override|allow|off/);
  });
  it("invalid YAML is reported with its position", () => {
    expect(() => parseConfig("/x/config.yaml", "rules: [\n  - id: x\n", "user")).toThrow(
      /\/x\/config\.yaml:\d+:\d+:/,
    );
  });
  it("an unknown key is an error, not ignored", () => {
    expect(() => parseConfig("/x/config.yaml", "overide:\n  git.push-force: off\n", "user")).toThrow(
      /unknown key "overide"/,
    );
  });
});

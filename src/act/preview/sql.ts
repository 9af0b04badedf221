// Database clients: which database on which host, and the statements that would run there.
import { readFileSync, statSync } from "node:fs";
import type { Context, Invocation } from "../../core/types.ts";
import { sqlKinds } from "../../judge/sql.ts";
import { pipeText } from "../../resolve/resolve.ts";
import { resolvePath } from "../../resolve/paths.ts";
import type { Effect } from "./effect.ts";
import { bytes, clip, count, redactUri } from "./format.ts";

interface Client {
  readonly text: readonly string[];
  readonly files?: readonly string[];
  readonly db: readonly string[];
  readonly host: readonly string[];
  /** Other options that take the next word as their value. */
  readonly valued?: readonly string[];
  readonly env?: { readonly db?: string; readonly host?: string };
  /** The first operand names the database (psql, mysql) or the database file (sqlite3). */
  readonly firstOperand?: "db" | "file";
  readonly textOperands?: boolean;
}

const words = (s: string) => s.split(" ");
const PSQL: Client = {
  text: words("-c --command"),
  files: words("-f --file"),
  db: words("-d --dbname"),
  host: words("-h --host"),
  valued: words("-U --username -p --port -v --set --variable -o --output -L --log-file -P --pset -F -R"),
  env: { db: "PGDATABASE", host: "PGHOST" },
  firstOperand: "db",
};
// mysql's -p takes its password attached (-pSECRET), never the next word.
const MYSQL: Client = {
  text: words("-e --execute"),
  db: words("-D --database"),
  host: words("-h --host"),
  valued: words("-u --user -P --port -S --socket --default-character-set"),
  env: { host: "MYSQL_HOST" },
  firstOperand: "db",
};
const SQLITE: Client = {
  text: ["-cmd"],
  db: [],
  host: [],
  valued: words("-separator -nullvalue -init -newline"),
  firstOperand: "file",
  textOperands: true,
};
const REDIS: Client = {
  text: [],
  db: ["-n"],
  host: words("-h -u"),
  valued: words("-p -a --user --pass"),
  textOperands: true,
};
const MONGO: Client = {
  text: ["--eval"],
  db: [],
  host: ["--host"],
  valued: words("-u --username -p --password --port"),
  firstOperand: "db",
};

const CLIENTS: Record<string, Client> = {
  psql: PSQL,
  mysql: MYSQL,
  mariadb: MYSQL,
  sqlite3: SQLITE,
  sqlite: SQLITE,
  duckdb: { ...SQLITE, text: ["-c", "-cmd"] },
  "clickhouse-client": {
    text: words("-q --query"),
    db: words("-d --database"),
    host: words("-h --host"),
    valued: words("-u --user --password --port"),
  },
  cqlsh: {
    text: words("-e --execute"),
    db: words("-k --keyspace"),
    host: [],
    valued: words("-u --username -p --password"),
    firstOperand: "db",
  },
  mongosh: MONGO,
  mongo: MONGO,
  "redis-cli": REDIS,
  "valkey-cli": REDIS,
};

function read(args: readonly string[], spec: Client) {
  const flags = new Map<string, string[]>();
  const operands: string[] = [];
  const known = [...spec.text, ...(spec.files ?? []), ...spec.db, ...spec.host];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf("=");
    const long = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : undefined;
    const name = known.find(
      (k) =>
        k === a || k === long || (k.length === 2 && !a.startsWith("--") && a.startsWith(k) && a.length > 2),
    );
    if (name) {
      const v = a === name ? (args[++i] ?? "") : long === name ? a.slice(eq + 1) : a.slice(2);
      flags.set(name, [...(flags.get(name) ?? []), v]);
    } else if (spec.valued?.includes(a)) i++;
    else if (!a.startsWith("-")) operands.push(a);
  }
  const get = (names: readonly string[]) => names.flatMap((n) => flags.get(n) ?? []);
  return { get, operands };
}

function statements(text: string): string[] {
  return text
    .split(/;\s*(?:\n|$)|;(?=\s*[A-Za-z])/)
    .map((s) => s.trim())
    .filter((s) => s && !/^--[^\n]*$/.test(s));
}

export function sqlPreview(inv: Invocation, ctx: Context, env: NodeJS.ProcessEnv): Effect | undefined {
  const spec = CLIENTS[inv.name];
  if (!spec) return undefined;
  const r = read(
    inv.argv.slice(1).map((a) => a.value),
    spec,
  );
  const vars = { ...env, ...inv.env };
  const firstIsDb = spec.firstOperand !== undefined && r.operands.length > 0;
  const dbWord =
    r.get(spec.db)[0] ??
    (firstIsDb ? r.operands[0] : undefined) ??
    (spec.env?.db ? vars[spec.env.db] : undefined);
  const host =
    r.get(spec.host)[0] ??
    (spec.env?.host ? vars[spec.env.host] : undefined) ??
    (dbWord && /:\/\//.test(dbWord) ? undefined : "localhost (default)");
  const lines: string[] = [];
  if (spec.firstOperand === "file") {
    const path = dbWord ? resolvePath(inv.cwd, dbWord, ctx.home) : undefined;
    let size: string;
    try {
      size = path ? `, ${bytes(statSync(path).size)}` : "";
    } catch {
      size = ", does not exist yet";
    }
    lines.push(`database   ${path ?? "in memory"}${size}`);
  } else {
    lines.push(`database   ${dbWord ? redactUri(dbWord) : "the client's default"}`);
    if (host) lines.push(`host       ${redactUri(host)}`);
  }
  const texts = [
    ...r.get(spec.text),
    ...(spec.textOperands ? r.operands.slice(spec.firstOperand ? 1 : 0) : []),
  ];
  if (inv.name === "redis-cli" || inv.name === "valkey-cli")
    texts.splice(0, texts.length, r.operands.join(" "));
  for (const f of r.get(spec.files ?? [])) {
    const path = resolvePath(inv.cwd, f, ctx.home);
    try {
      if (path && statSync(path).size <= 1 << 20) texts.push(readFileSync(path, "utf8"));
      else lines.push(`script     ${f} (not read)`);
    } catch {
      lines.push(`script     ${f} (cannot be read)`);
    }
  }
  if (inv.stdin?.kind === "text") texts.push(inv.stdin.text);
  if (inv.stdin?.kind === "pipe") texts.push(pipeText(inv.stdin.from) ?? "");
  if (inv.stdin?.kind === "file") lines.push(`script     ${inv.stdin.path.value} (from stdin)`);
  const all = texts.flatMap(statements);
  const destructive = all.filter(
    (s) => sqlKinds(s).length || /\b(drop|flush|delete|truncate|remove)\w*\b/i.test(s),
  );
  lines.push(
    `statements ${count(all.length, "statement")}${destructive.length ? `, ${destructive.length} destructive` : ""}:`,
  );
  for (const s of all.slice(0, 10))
    lines.push(`  ${clip(s, 100)}${sqlKinds(s).length ? `   [${sqlKinds(s).join(", ")}]` : ""}`);
  if (all.length > 10) lines.push(`  … and ${count(all.length - 10, "more statement")}`);
  const where =
    spec.firstOperand === "file"
      ? `database file ${dbWord ?? "(in memory)"}`
      : `database ${dbWord ? redactUri(dbWord) : "(default)"}${host ? ` on ${redactUri(host)}` : ""}`;
  return {
    title: clip(inv.argv.map((a) => a.text).join(" "), 100),
    lines,
    scope: destructive.length
      ? destructive
          .slice(0, 3)
          .map((s) => clip(s, 60))
          .join("; ")
      : count(all.length, "statement"),
    reversibility: destructive.length ? "irreversible" : "unknown",
    undo: destructive.length
      ? "committed at once: only a backup or point-in-time recovery brings the data back"
      : "depends on the statements",
    coupling: `every application and person using ${where}`,
  };
}

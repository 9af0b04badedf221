// Finds the destructive statements in SQL (and Mongo / Redis commands) an invocation sends to a database.
import type { Arg, Invocation } from "../core/types.ts";
import { pipeText } from "../resolve/resolve.ts";
import type { SqlKind } from "./rule.ts";

/** Removes comments and replaces string literals by 's' so keywords inside them do not count. */
function strip(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      out += " ";
    } else if (c === "#" && (i === 0 || /\s/.test(sql[i - 1] as string))) {
      while (i < sql.length && sql[i] !== "\n") i++;
      out += " ";
    } else if (c === "/" && next === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? sql.length : close + 1;
      out += " ";
    } else if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      let body = "";
      for (; j < sql.length; j++) {
        if (sql[j] === "\\") {
          body += sql[j + 1] ?? "";
          j++;
        } else if (sql[j] === c) {
          if (sql[j + 1] === c) {
            body += c;
            j++;
          } else break;
        } else body += sql[j];
      }
      // A quoted identifier ("users", `users`) is still a name; a string literal is data.
      // A pattern of only % (LIKE '%') matches every row, so it is kept apart.
      out += c !== "'" && /^[A-Za-z_][\w.]*$/.test(body) ? body : /^%+$/.test(body) ? "'%'" : "'s'";
      i = j;
    } else if (c === "$" && next === "$") {
      const close = sql.indexOf("$$", i + 2);
      i = close < 0 ? sql.length : close + 1;
      out += "'s'";
    } else out += c;
  }
  return out;
}

// Conditions every row meets: constants, a column equal to itself, and the ids-are-positive and
// not-null idioms used to get past MySQL's safe-update mode.
const ALWAYS_TRUE =
  /^\s*(?:1|true|'s'|(\w+)\s*=\s*\1|(\d+)\s*=\s*\2|'s'\s*=\s*'s'|1\s*<>\s*2|0\s*=\s*0|not\s+false|\d+\s*>\s*0|(?:\w+\.)?id\s*(?:>\s*0|>=\s*[01]|<>\s*0|!=\s*0)|(?:\w+\.)?id\s+is\s+not\s+null|(?:\w+\.)?\w+\s+i?like\s+'%'|(\w+)\s+in\s+select\s+\3\s+from\s+\w+)\s*$/i;

function whereIsAlwaysTrue(where: string): boolean {
  const clause = where.replace(/\b(?:order\s+by|limit|returning)\b[\s\S]*$/i, "");
  return clause
    .split(/\bor\b/i)
    .some((c) => c.split(/\band\b/i).every((part) => ALWAYS_TRUE.test(part.replace(/[()]/g, " "))));
}

// A test database: named test, tests, testing, or with that as a _ or - separated part (app_test,
// test-shop, orders_test_2), or such a SQLite/DuckDB file (test.db, tmp/app_test.sqlite3).
export const TEST_DB = /^(?:[\w.-]*[_-])?(?:test|tests|testing)(?:[_-][\w.-]*)?$/i;

export function sqlKinds(sql: string): SqlKind[] {
  const kinds = new Set<SqlKind>();
  const text = strip(sql);
  if (/(^|\n)\s*\\!/.test(sql)) kinds.add("shell-escape");
  // SQL that builds and runs SQL: what runs is only known at run time.
  if (
    /\\gexec\b/.test(sql) ||
    /\bEXECUTE\s+(IMMEDIATE\b|format\s*\(|'s'\s*\|\||\w+\s*(;|$))/i.test(text) ||
    /\bPREPARE\s+\w+\s+FROM\b/i.test(text)
  )
    kinds.add("dynamic");
  if (/\bDO\s+'s'/i.test(text) && /\bEXECUTE\b/i.test(sql)) kinds.add("dynamic");
  for (const raw of text.split(";")) {
    let s = raw.trim().replace(/\s+/g, " ");
    if (!s) continue;
    // EXPLAIN ANALYZE runs the statement it explains.
    s = s.replace(/^EXPLAIN\s+(\(\s*ANALY[SZ]E[^)]*\)|ANALY[SZ]E(\s+VERBOSE)?)\s+/i, "");
    const u = s.toUpperCase();
    let m: RegExpExecArray | null;
    if ((m = /^DROP\s+(TEMPORARY\s+|TEMP\s+)?(\w+)(\s+VIEW)?/.exec(u))) {
      const what = m[2] as string;
      if (m[1]) continue; // dropping a temporary table loses nothing durable
      if (["DATABASE", "SCHEMA", "KEYSPACE", "OWNED"].includes(what)) {
        // A test database (app_test): its drop is everyday work on a server of this machine.
        const name = /^DROP\s+\w+\s+(?:IF\s+EXISTS\s+)?([\w.-]+)\s*(?:WITH\s*\(\s*FORCE\s*\))?$/i.exec(
          s,
        )?.[1];
        kinds.add(
          what === "DATABASE" && name !== undefined && TEST_DB.test(name)
            ? "drop-test-database"
            : "drop-database",
        );
      } else if (["TABLE", "COLLECTION", "MATERIALIZED", "TABLES", "DICTIONARY"].includes(what))
        kinds.add("drop-table");
      else kinds.add("drop-other");
    } else if (/^TRUNCATE\b/.test(u)) kinds.add("truncate");
    else if (/^(WITH\b.*\)\s*)?DELETE\b/.test(u)) {
      const w = /\bWHERE\b([\s\S]*)$/i.exec(s);
      if (!w || whereIsAlwaysTrue(w[1] ?? "")) kinds.add("delete-all");
    } else if (/^(WITH\b.*\)\s*)?UPDATE\b/.test(u)) {
      const w = /\bWHERE\b([\s\S]*)$/i.exec(s);
      if (!w || whereIsAlwaysTrue(w[1] ?? "")) kinds.add("update-all");
    } else if (/^ALTER\s+TABLE\b/.test(u)) {
      if (/\bDROP\s+(COLUMN|CONSTRAINT|PARTITION|INDEX|PRIMARY)\b|\bDROP\s+\w+\s*(,|$)/.test(u))
        kinds.add("alter-drop");
      const del = /\bDELETE\s+WHERE\b([\s\S]*)$/i.exec(s);
      if (del && whereIsAlwaysTrue(del[1] ?? "")) kinds.add("delete-all");
      const upd = /\bUPDATE\b[\s\S]*?\bWHERE\b([\s\S]*)$/i.exec(s);
      if (upd && whereIsAlwaysTrue(upd[1] ?? "")) kinds.add("update-all");
    } else if (/^(FLUSHALL|FLUSHDB)\b/.test(u)) kinds.add("flush-all");
    // A data-modifying statement inside a CTE: WITH d AS (DELETE FROM t RETURNING *) SELECT ...
    for (const cte of u.matchAll(/\(\s*(DELETE|UPDATE)\b([^()]*)\)/g)) {
      if (!/\bWHERE\b/.test(cte[2] ?? "")) kinds.add(cte[1] === "DELETE" ? "delete-all" : "update-all");
    }
  }
  return [...kinds];
}

/** Mongo shell JavaScript: dropDatabase, drop, deleteMany({}), remove({}). */
export function mongoKinds(js: string): SqlKind[] {
  const kinds = new Set<SqlKind>();
  if (/\.dropDatabase\s*\(|runCommand\s*\(\s*\{\s*["']?dropDatabase["']?\s*:/.test(js))
    kinds.add("drop-database");
  if (/runCommand\s*\(\s*\{\s*["']?drop["']?\s*:/.test(js) || /\.drop\s*\(\s*\{/.test(js))
    kinds.add("drop-table");
  if (/\.drop\s*\(\s*\)|\.dropCollection\s*\(|\.dropIndexes\s*\(/.test(js)) kinds.add("drop-table");
  if (
    /\.(?:deleteMany|remove)\s*\(\s*\{\s*\}\s*[,)]/.test(js) ||
    /\.remove\s*\(\s*\)/.test(js) ||
    // a filter every document meets: {_id: {$exists: true}}, {_id: {$ne: null}}
    /\.(?:deleteMany|remove)\s*\(\s*\{\s*["']?_id["']?\s*:\s*\{\s*["']?\$(?:exists\s*:\s*(?:true|1)|ne\s*:\s*null)\s*\}\s*\}\s*[,)]/.test(
      js,
    )
  )
    kinds.add("delete-all");
  if (/\.updateMany\s*\(\s*\{\s*\}\s*,/.test(js)) kinds.add("update-all");
  return [...kinds];
}

const REDIS_CLIENTS = new Set(["redis-cli", "valkey-cli", "keydb-cli", "dragonfly-cli"]);

const SQL_CLIENTS: Record<string, { flags: readonly string[]; positional?: "after-first" | "all" }> = {
  psql: { flags: ["-c", "--command"] },
  mysql: { flags: ["-e", "--execute"] },
  mariadb: { flags: ["-e", "--execute"] },
  sqlite3: { flags: ["-cmd"], positional: "after-first" },
  sqlite: { flags: ["-cmd"], positional: "after-first" },
  duckdb: { flags: ["-c", "-cmd"], positional: "after-first" },
  "clickhouse-client": { flags: ["--query", "-q"] },
  clickhouse: { flags: ["--query", "-q"] },
  cqlsh: { flags: ["-e", "--execute"] },
  cockroach: { flags: ["-e", "--execute"] },
  usql: { flags: ["-c", "--command"] },
  snowsql: { flags: ["-q", "--query"] },
  bq: { flags: [], positional: "all" },
  "mysql-client": { flags: ["-e"] },
  pgcli: { flags: ["-c"] },
  mycli: { flags: ["-e", "--execute"] },
  trino: { flags: ["--execute"] },
  "spark-sql": { flags: ["-e"] },
  hive: { flags: ["-e"] },
  beeline: { flags: ["-e"] },
  mysqlsh: { flags: ["-e", "--execute"] },
  sqlcmd: { flags: ["-Q", "-q", "--query"] },
  sqlplus: { flags: [] },
  isql: { flags: [] },
  litecli: { flags: ["-e", "--execute"] },
};

export function isDatabaseClient(name: string): boolean {
  return (
    Object.hasOwn(SQL_CLIENTS, name) || name === "mongosh" || name === "mongo" || REDIS_CLIENTS.has(name)
  );
}

function flagValues(args: readonly Arg[], flags: readonly string[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    for (const f of flags) {
      if (v === f && args[i + 1]) out.push(args[i + 1] as Arg);
      else if (f.startsWith("--") && v.startsWith(f + "="))
        out.push({ ...(args[i] as Arg), value: v.slice(f.length + 1) });
      else if (
        !f.startsWith("--") &&
        f.length === 2 &&
        v.startsWith(f) &&
        v.length > 2 &&
        !v.startsWith("--")
      )
        out.push({ ...(args[i] as Arg), value: v.slice(2) });
      // A cluster ending in the flag takes the next word: psql -Atc 'SQL', mysql -Nse 'SQL'.
      else if (
        !f.startsWith("--") &&
        f.length === 2 &&
        /^-[A-Za-z]{2,}$/.test(v) &&
        v.endsWith(f[1] as string) &&
        args[i + 1]
      )
        out.push(args[i + 1] as Arg);
    }
  }
  return out;
}

function stdinText(inv: Invocation): string | undefined {
  if (!inv.stdin) return undefined;
  if (inv.stdin.kind === "text") return inv.stdin.text;
  if (inv.stdin.kind !== "pipe") return undefined;
  const from = inv.stdin.from;
  // echo "DROP TABLE $T" | psql: the statement kind is known even if a name is not.
  if (from.name === "echo" || from.name === "printf")
    return from.argv
      .slice(1)
      .map((a) => a.value)
      .join(" ");
  return pipeText(from);
}

/** A statement that is only known at run time: it starts with a variable or a substitution. */
const DYNAMIC_STATEMENT = /(^|;|\n)\s*["']?(\$\{?\w+|\$\(|`)/;

function dynamicStdin(inv: Invocation): boolean {
  const s = inv.stdin;
  if (!s) return false;
  if (s.kind === "text") return s.dynamic && DYNAMIC_STATEMENT.test(s.text);
  if (s.kind === "pipe" && (s.from.name === "echo" || s.from.name === "printf"))
    return s.from.argv.slice(1).some((a) => a.dynamic && DYNAMIC_STATEMENT.test(a.value));
  return false;
}

/** The destructive statement kinds an invocation of a database client would run. */
export function databaseKinds(inv: Invocation): SqlKind[] {
  const args = inv.argv.slice(1);
  const name = inv.name;
  if (REDIS_CLIENTS.has(name)) {
    const words = args.map((a) => a.value.toUpperCase());
    const kinds: SqlKind[] = [];
    if (words.includes("FLUSHALL") || words.includes("FLUSHDB")) kinds.push("flush-all");
    const text = stdinText(inv);
    if (text && /\bFLUSH(ALL|DB)\b/i.test(text)) kinds.push("flush-all");
    return kinds;
  }
  if (name === "mongosh" || name === "mongo") {
    const evals = flagValues(args, ["--eval"]);
    const text = [...evals.map((a) => a.value), stdinText(inv) ?? ""].join("\n");
    const kinds = mongoKinds(text);
    if (evals.some((a) => a.dynamic)) kinds.push("dynamic");
    return kinds;
  }
  const spec = SQL_CLIENTS[name];
  if (!spec) return [];
  const texts: Arg[] = flagValues(args, spec.flags);
  if (spec.positional) {
    const pos = args.filter(
      (a, i) =>
        !a.value.startsWith("-") &&
        !(i > 0 && /^-(cmd|init|separator|nullvalue|c|q)$/.test(args[i - 1]?.value ?? "")),
    );
    texts.push(...(spec.positional === "after-first" ? pos.slice(1) : pos));
  }
  // clickhouse client / cockroach sql: a subcommand word before the options.
  const kinds = new Set<SqlKind>();
  for (const t of texts) {
    for (const k of sqlKinds(t.value)) kinds.add(k);
    if (t.dynamic && /\$\(|`/.test(t.text)) kinds.add("dynamic");
  }
  const stdin = stdinText(inv);
  if (stdin) for (const k of sqlKinds(stdin)) kinds.add(k);
  if (dynamicStdin(inv)) kinds.add("dynamic");
  return [...kinds];
}

// Interpreter one-liners: finds what a python/node/perl/ruby/php snippet would run or delete.
// This is a scanner over the source text, not an interpreter: calls whose arguments it cannot read are
// reported as dynamic so they are never silently allowed.
import type { Lang } from "./shells.ts";

export interface CodeFindings {
  /** Shell command lines the code runs (os.system, execSync, system, backticks). */
  readonly shell: string[];
  /** Argument vectors the code runs or is equivalent to (subprocess lists, rmtree as `rm -r`). */
  readonly argvs: string[][];
  /** Calls that run or delete something guard cannot read. */
  readonly dynamic: string[];
  readonly reverseShell: boolean;
}

const STRING = String.raw`(?:[rRbBuUfF]{0,2}(?:'''[\s\S]*?'''|"""[\s\S]*?"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|\x60[^\x60$]*\x60)`;
const STRING_RE = new RegExp("^\\s*(" + STRING + ")", "");

function unquote(lit: string): string {
  const prefix = /^[rRbBuUfF]{0,2}/.exec(lit)?.[0] ?? "";
  let s = lit.slice(prefix.length);
  const doubled = s.startsWith('"');
  if (s.startsWith("'''") || s.startsWith('"""')) s = s.slice(3, -3);
  else s = s.slice(1, -1);
  s = s.replace(/\\(["'\\nt])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
  if (!doubled) return s;
  // Home interpolated into a double-quoted string: "$ENV{HOME}" (Perl), "#{Dir.home}" (Ruby),
  // f"{Path.home()}" (Python). Other interpolations stay as they are and read as dynamic later.
  s = s.replace(/\$ENV\{HOME\}|#\{(?:Dir\.home|ENV\[['"]HOME['"]\])\}/g, "~");
  if (/f/i.test(prefix))
    s = s.replace(
      /\{(?:os\.environ\[['"]HOME['"]\]|os\.getenv\(['"]HOME['"]\)|(?:pathlib\.)?Path\.home\(\)|os\.path\.expanduser\(['"]~['"]\))\}/g,
      "~",
    );
  return s;
}

/** Returns the text between the parenthesis at `open` and its match, or the rest of the code. */
function callArgs(code: string, open: number): string {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === "'" || c === '"' || c === "`") {
      const m = new RegExp(STRING).exec(code.slice(i));
      if (m && m.index === 0) {
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return code.slice(open + 1, i);
    }
  }
  return code.slice(open + 1);
}

const HOME_EXPR =
  /^(?:os\.path\.expanduser\(\s*['"]~['"]\s*\)|Path\.home\(\)|pathlib\.Path\.home\(\)|os\.homedir\(\)|require\(['"]os['"]\)\.homedir\(\)|process\.env\.HOME|process\.env\[['"]HOME['"]\]|os\.environ\[['"]HOME['"]\]|os\.environ\.get\(['"]HOME['"]\)|os\.getenv\(['"]HOME['"]\)|Dir\.home|ENV\[['"]HOME['"]\]|\$ENV\{HOME\}|getenv\(['"]HOME['"]\))/;

/** Reads a path expression: a literal, ~-expansion, home, a join of those. Undefined when not literal. */
export function pathExpr(raw: string): string | undefined {
  let s = raw.trim();
  const wrapper =
    /^(?:os\.path\.expanduser|os\.path\.abspath|os\.path\.realpath|Path|pathlib\.Path|File\.expand_path|path\.resolve|realpath|str)\(([\s\S]*)\)$/.exec(
      s,
    );
  if (wrapper) s = (wrapper[1] ?? "").trim();
  const join = /^(?:os\.path\.join|path\.join|File\.join)\(([\s\S]*)\)$/.exec(s);
  if (join) {
    const parts = splitTopLevel(join[1] ?? "").map(pathExpr);
    if (parts.some((p) => p === undefined)) return undefined;
    return (parts as string[]).reduce((a, b) => (b.startsWith("/") ? b : a.replace(/\/$/, "") + "/" + b));
  }
  // A concatenation of readable parts: 'rm -rf ' + os.homedir(), "/tmp/" + "x".
  const sum = splitTopLevel(s, "+");
  if (sum.length > 1) {
    const parts = sum.map(pathExpr);
    return parts.some((p) => p === undefined) ? undefined : parts.join("");
  }
  const home = HOME_EXPR.exec(s);
  if (home) {
    const rest = s.slice(home[0].length).trim();
    if (!rest) return "~";
    const plus = /^(?:\+|\/|\.)\s*(.*)$/.exec(rest);
    if (plus) {
      const tail = pathExpr(plus[1] ?? "");
      return tail === undefined ? undefined : "~/" + tail.replace(/^\/+/, "");
    }
    return undefined;
  }
  const lit = STRING_RE.exec(s);
  if (lit && lit[0].length === s.length) return unquote(lit[1] ?? "");
  // A literal followed by a method call that does not change it (.resolve(), .expanduser()).
  if (lit && /^\s*\)?\s*(\.\w+\(\))*$/.test(s.slice(lit[0].length))) return unquote(lit[1] ?? "");
  return undefined;
}

function splitTopLevel(s: string, sep = ","): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "'" || c === '"') {
      const m = new RegExp(STRING).exec(s.slice(i));
      if (m && m.index === 0) {
        cur += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) depth--;
    if (c === sep && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

function stringList(s: string): string[] | undefined {
  const t = s.trim();
  if (!/^[[(]/.test(t)) return undefined;
  const inner = t.slice(1, t.lastIndexOf(t.startsWith("[") ? "]" : ")"));
  const items = splitTopLevel(inner).map((x) => pathExpr(x));
  if (items.some((x) => x === undefined)) return undefined;
  return items as string[];
}

/** A call of a node API, bare or on a module object (`fs.rmSync(`, `require("fs").rmSync(`), not `re.exec(`. */
function nodeCall(names: string): RegExp {
  const receiver = String.raw`(?:\b(?:fs|fsp|fse|promises|fsPromises|child_process|childProcess|cp|proc|Bun|Deno)\.|\)\.|(?<![\w.$]))`;
  return new RegExp(receiver + "(?:" + names + ")\\s*\\(", "g");
}

interface CallSpec {
  readonly re: RegExp;
  readonly kind: "shell" | "exec" | "spawn" | "delete-recursive" | "delete" | "write" | "read";
}

const CALLS: Record<Lang, readonly CallSpec[]> = {
  python: [
    { re: /\bos\.(?:system|popen)\s*\(/g, kind: "shell" },
    { re: /\b(?:commands|subprocess)\.(?:getoutput|getstatusoutput)\s*\(/g, kind: "shell" },
    { re: /\bsubprocess\.(?:run|call|check_call|check_output|Popen)\s*\(/g, kind: "exec" },
    { re: /\bos\.(?:exec[lv]p?e?|spawn[lv]p?e?)\s*\(/g, kind: "spawn" },
    { re: /\bpty\.spawn\s*\(/g, kind: "exec" },
    { re: /\bshutil\.rmtree\s*\(/g, kind: "delete-recursive" },
    { re: /\b(?:dir_util\.)?remove_tree\s*\(/g, kind: "delete-recursive" },
    { re: /\b(?:os\.(?:remove|unlink|rmdir|removedirs))\s*\(/g, kind: "delete" },
    { re: /\bshutil\.move\s*\(/g, kind: "write" },
    { re: /\bopen\s*\(/g, kind: "read" },
  ],
  node: [
    { re: nodeCall("execSync|exec|execa|execaSync|execaCommand|execaCommandSync"), kind: "shell" },
    { re: nodeCall("spawnSync|spawn|execFileSync|execFile"), kind: "spawn" },
    {
      re: nodeCall("rmSync|rm|rmdirSync|rmdir|remove|removeSync|rimraf|rimrafSync|emptyDirSync|emptyDir"),
      kind: "delete-recursive",
    },
    { re: nodeCall("unlinkSync|unlink"), kind: "delete" },
    { re: nodeCall("writeFileSync|writeFile|appendFileSync|truncateSync"), kind: "write" },
    { re: nodeCall("readFileSync|readFile|createReadStream"), kind: "read" },
    { re: /\$`([^`]*)`/g, kind: "shell" },
    // distinctive names, whatever object they are called on (`f.rmSync(`, `cp.execSync(`)
    { re: /\.(?:execSync|execFileSync)\s*\(/g, kind: "shell" },
    { re: /\.(?:rmSync|rmdirSync|removeSync|emptyDirSync|rimrafSync)\s*\(/g, kind: "delete-recursive" },
    { re: /rimraf['"]\s*\)\s*\.\s*sync\s*\(/g, kind: "delete-recursive" },
  ],
  perl: [
    { re: /\b(?:system|exec)\s*\(?/g, kind: "spawn" },
    { re: /\bqx\s*[({[/]/g, kind: "shell" },
    { re: /\b(?:rmtree|remove_tree)\s*\(?/g, kind: "delete-recursive" },
    { re: /\bunlink\s*\(?/g, kind: "delete" },
    { re: /\bopen\s*\(/g, kind: "read" },
  ],
  ruby: [
    { re: /\b(?:system|exec|spawn)\s*\(?/g, kind: "spawn" },
    { re: /%x[({[]/g, kind: "shell" },
    { re: /\b(?:IO\.popen|Open3\.\w+)\s*\(/g, kind: "shell" },
    {
      re: /\bFileUtils\.(?:rm_rf|rm_r|remove_dir|remove_entry|remove_entry_secure|rmtree)\s*\(?/g,
      kind: "delete-recursive",
    },
    { re: /\b(?:FileUtils\.(?:rm|rm_f|remove)|File\.(?:delete|unlink))\b(?!_)\s*\(?/g, kind: "delete" },
    { re: /\bFile\.(?:read|open|readlines)\s*\(/g, kind: "read" },
  ],
  php: [
    { re: /\b(?:shell_exec|system|exec|passthru|popen|proc_open)\s*\(/g, kind: "shell" },
    { re: /\b(?:unlink|rmdir)\s*\(/g, kind: "delete" },
    { re: /\b(?:file_get_contents|fopen|readfile|file)\s*\(/g, kind: "read" },
  ],
  lua: [
    { re: /\bos\.(?:execute|remove)\s*\(/g, kind: "shell" },
    { re: /\bio\.popen\s*\(/g, kind: "shell" },
  ],
  r: [
    { re: /\b(?:system|system2)\s*\(/g, kind: "shell" },
    { re: /\bunlink\s*\(/g, kind: "delete-recursive" },
  ],
  osascript: [{ re: /\bdo shell script\s+/g, kind: "shell" }],
  powershell: [{ re: /\bRemove-Item\b/gi, kind: "delete-recursive" }],
};

/** Backtick command execution in perl/ruby/php (in node and python backticks are strings). */
const BACKTICK = /`([^`]*)`/g;

/** Code that evaluates other code only known at run time (exec(open(f).read()), eval(process.argv[1])). */
const DYNAMIC_EVAL: Partial<Record<Lang, RegExp>> = {
  python: /\b(?:exec|eval|compile)\s*\(\s*(?![rRbBuUfF]{0,2}['"])/,
  node: /(?<![\w.$])(?:eval|Function)\s*\(\s*(?!['"`])|\bnew\s+Function\s*\(|\bvm\.run\w*\s*\(/,
  ruby: /\b(?:eval|instance_eval|class_eval)\s*[( ]\s*(?!['"])/,
  perl: /\beval\s*[({]?\s*(?!['"{])\$/,
  php: /\b(?:eval|assert)\s*\(\s*(?!['"])/,
};

/** Undoes renames, so the calls read as their modules' own: `import shutil as s` makes `s.rmtree(` into
 * `shutil.rmtree(`, `from shutil import rmtree` makes `rmtree(` into `shutil.rmtree(`, and
 * `const {execSync: x} = require("child_process")` makes `x(` into `execSync(`. Python's `exec("...")` of
 * a literal and IPython's `!cmd` lines are read as what they run. */
function normalizeNames(lang: Lang, code: string): string {
  const swap = (from: string, to: string): void => {
    if (from === to || !/^[A-Za-z_$][\w$]*$/.test(from)) return;
    code = code.replace(new RegExp(`(?<![\\w.$])${from.replace(/\$/g, "\\$")}(?=\\s*[.(])`, "g"), to);
  };
  if (lang === "python") {
    for (const m of code.matchAll(/\bimport\s+([\w.]+)\s+as\s+(\w+)/g)) swap(m[2] as string, m[1] as string);
    for (const m of code.matchAll(/\bfrom\s+([\w.]+)\s+import\s+([\w\s,]+)/g)) {
      const mod = (m[1] as string).split(".").pop() as string;
      for (const part of (m[2] as string).split(",")) {
        const [name, alias] = part.trim().split(/\s+as\s+/);
        if (name) swap(alias ?? name, `${mod}.${name}`);
      }
    }
    const literals = [...code.matchAll(/\bexec\s*\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*\)/g)].map((m) =>
      (m[2] as string).replace(/\\n/g, "\n").replace(/\\(['"\\])/g, "$1"),
    );
    const bang = [...code.matchAll(/^\s*!(.+)$/gm)].map((m) => `os.system(${JSON.stringify(m[1])})`);
    if (literals.length || bang.length)
      code = [code, ...literals.map((l) => normalizeNames(lang, l)), ...bang].join("\n");
  }
  if (lang === "node") {
    for (const m of code.matchAll(
      /\{([^}]*)\}\s*=\s*(?:require\s*\(\s*['"](?:node:)?(\w+)['"]\s*\)|await\s+import\s*\(\s*['"](?:node:)?(\w+)['"]\s*\))/g,
    ))
      for (const part of (m[1] as string).split(",")) {
        const [name, alias] = part.split(":").map((x) => x.trim());
        if (name && alias) swap(alias, name);
      }
  }
  return code;
}

export function scanCode(lang: Lang, code: string): CodeFindings {
  // __import__('os').system(...) is os.system(...); importlib.import_module('os') likewise.
  code = code
    .replace(/__import__\s*\(\s*['"](\w+)['"]\s*\)/g, "$1")
    .replace(/importlib\.import_module\s*\(\s*['"](\w+)['"]\s*\)/g, "$1");
  code = normalizeNames(lang, code);
  const shell: string[] = [];
  const argvs: string[][] = [];
  const dynamic: string[] = [];
  for (const spec of CALLS[lang]) {
    spec.re.lastIndex = 0;
    for (let m = spec.re.exec(code); m; m = spec.re.exec(code)) {
      if (spec.kind === "shell" && m[1] !== undefined && lang === "node") {
        shell.push(m[1]);
        continue;
      }
      const after = m.index + m[0].length;
      const openParen = code[after - 1] === "(" || code[after - 1] === "[" || code[after - 1] === "{";
      const args = openParen ? callArgs(code, after - 1) : (code.slice(after).split(/[;\n]/)[0] ?? "");
      if (lang === "osascript") {
        const lit = STRING_RE.exec(args);
        if (lit) shell.push(unquote(lit[1] ?? ""));
        else dynamic.push(m[0].trim());
        continue;
      }
      if (lang === "powershell") {
        argvs.push(["rm", "-r", ...args.split(/\s+/).filter((w) => w && !w.startsWith("-"))]);
        continue;
      }
      const parts = splitTopLevel(args);
      const first = parts[0] ?? "";
      const label = m[0].replace(/\s*[([{]$/, "");
      const firstValue = pathExpr(first);
      const list = stringList(first);
      switch (spec.kind) {
        case "shell":
          if (firstValue !== undefined) shell.push(firstValue);
          else if (list) argvs.push(list);
          else dynamic.push(label);
          break;
        case "exec": {
          const shellTrue = parts.slice(1).some((p) => /shell\s*=\s*True/.test(p));
          if (list) argvs.push(list);
          else if (firstValue !== undefined) {
            if (shellTrue) shell.push(firstValue);
            else argvs.push(firstValue.split(/\s+/));
          } else dynamic.push(label);
          break;
        }
        case "spawn": {
          if (list) argvs.push(list);
          else if (firstValue !== undefined) {
            const second = parts[1] !== undefined ? stringList(parts[1]) : [];
            if (lang === "node" && second) argvs.push([firstValue, ...second]);
            else if (lang === "node") dynamic.push(label);
            else if (parts.length > 1) {
              const rest = parts.slice(1).map(pathExpr);
              if (rest.every((x) => x !== undefined)) argvs.push([firstValue, ...(rest as string[])]);
              else dynamic.push(label);
            } else shell.push(firstValue);
          } else dynamic.push(label);
          break;
        }
        case "delete-recursive":
        case "delete": {
          if (firstValue === undefined) {
            dynamic.push(label);
            break;
          }
          const recursive =
            spec.kind === "delete-recursive" &&
            (lang !== "node" ||
              /rimraf|remove|emptyDir/.test(label) ||
              parts.slice(1).some((p) => /recursive\s*:\s*true/.test(p)));
          argvs.push(recursive ? ["rm", "-r", "-f", firstValue] : ["rm", "-f", firstValue]);
          break;
        }
        case "write":
          if (firstValue !== undefined) argvs.push(["tee", firstValue]);
          break;
        case "read":
          if (firstValue !== undefined) {
            const mode = parts[1] ? pathExpr(parts[1]) : undefined;
            argvs.push(mode && /[wa+]/.test(mode) ? ["tee", firstValue] : ["cat", firstValue]);
          }
          break;
      }
    }
  }
  if (lang === "perl" || lang === "ruby" || lang === "php") {
    BACKTICK.lastIndex = 0;
    for (let m = BACKTICK.exec(code); m; m = BACKTICK.exec(code)) shell.push(m[1] ?? "");
  }
  const evalRe = DYNAMIC_EVAL[lang];
  if (evalRe && evalRe.test(code)) dynamic.push("code evaluation");
  const reverseShell =
    /\bsocket\b|\bnet\.(?:connect|Socket|createConnection)|require\s*\(\s*['"](?:node:)?(?:net|tls)['"]\s*\)|TCPSocket|IO::Socket|fsockopen|Net::|\/dev\/tcp\//.test(
      code,
    ) &&
    /subprocess|pty\.spawn|dup2|\/bin\/(?:ba)?sh|child_process|\bexec\b|spawn|system|proc_open|popen/.test(
      code,
    );
  return { shell, argvs, dynamic, reverseShell };
}

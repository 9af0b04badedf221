// Shell completion scripts, generated from the CLI definition itself so they cannot drift from it.
import type { Command, Option } from "commander";

interface Node {
  readonly path: string[];
  readonly subcommands: string[];
  readonly options: string[];
}

function walk(cmd: Command, path: string[], out: Node[]): void {
  const visible = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const options = (cmd.options as readonly Option[]).flatMap((o) =>
    [o.long, o.short].filter((x): x is string => !!x),
  );
  out.push({ path, subcommands: visible.map((c) => c.name()), options: [...options, "--help"] });
  for (const c of visible) walk(c, [...path, c.name()], out);
}

export function completionNodes(program: Command): Node[] {
  const out: Node[] = [];
  walk(program, [], out);
  return out;
}

export function bashCompletion(program: Command): string {
  const nodes = completionNodes(program);
  const cases = nodes
    .map((n) => `    "${n.path.join(" ")}") words="${[...n.subcommands, ...n.options].join(" ")}" ;;`)
    .join("\n");
  return `# bash completion for guard (generated from the CLI definition; do not edit)
_guard() {
  local cur path="" w words i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "\${path:+$path }$w" in
${nodes
  .map((n) => `      "${n.path.join(" ")}") path="${n.path.join(" ")}" ;;`)
  .filter((l) => !l.includes('"")'))
  .join("\n")}
    esac
  done
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _guard guard
`;
}

export function zshCompletion(program: Command): string {
  const nodes = completionNodes(program);
  return `#compdef guard
# zsh completion for guard (generated from the CLI definition; do not edit)
_guard() {
  local -a words_for
  local path="" w
  for w in \${words[2,CURRENT-1]}; do
    [[ "$w" == -* ]] && continue
    case "\${path:+$path }$w" in
${nodes
  .filter((n) => n.path.length)
  .map((n) => `      "${n.path.join(" ")}") path="${n.path.join(" ")}" ;;`)
  .join("\n")}
    esac
  done
  case "$path" in
${nodes.map((n) => `    "${n.path.join(" ")}") words_for=(${[...n.subcommands, ...n.options].map((x) => `'${x}'`).join(" ")}) ;;`).join("\n")}
  esac
  compadd -- $words_for
}
compdef _guard guard
`;
}

export function fishCompletion(program: Command): string {
  const nodes = completionNodes(program);
  const lines = [
    "# fish completion for guard (generated from the CLI definition; do not edit)",
    "complete -c guard -f",
  ];
  for (const n of nodes) {
    const cond =
      n.path.length === 0
        ? "__fish_use_subcommand"
        : `__fish_seen_subcommand_from ${n.path[n.path.length - 1]}`;
    for (const s of n.subcommands) lines.push(`complete -c guard -n '${cond}' -a '${s}'`);
    for (const o of n.options) {
      if (o.startsWith("--")) lines.push(`complete -c guard -n '${cond}' -l '${o.slice(2)}'`);
      else lines.push(`complete -c guard -n '${cond}' -s '${o.slice(1)}'`);
    }
  }
  return lines.join("\n") + "\n";
}

export const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description("print the shell completion script (bash, zsh or fish)")
    .argument("<shell>", "bash, zsh or fish")
    .action((shell: string) => {
      const gen = SHELLS[shell as keyof typeof SHELLS];
      if (!gen) {
        process.stderr.write("guard completion: shell must be bash, zsh or fish\n");
        process.exitCode = 2;
        return;
      }
      process.stdout.write(gen(program));
    });
}

# bash completion for guard (generated from the CLI definition; do not edit)
_guard() {
  local cur path="" w words i
  cur="${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "${path:+$path }$w" in
      "check") path="check" ;;
      "explain") path="explain" ;;
      "hook") path="hook" ;;
      "install") path="install" ;;
      "uninstall") path="uninstall" ;;
      "doctor") path="doctor" ;;
      "rules") path="rules" ;;
      "rules list") path="rules list" ;;
      "rules show") path="rules show" ;;
      "rules test") path="rules test" ;;
      "rules lint") path="rules lint" ;;
      "trust") path="trust" ;;
      "untrust") path="untrust" ;;
      "audit") path="audit" ;;
      "audit path") path="audit path" ;;
      "audit tail") path="audit tail" ;;
      "audit stats") path="audit stats" ;;
      "audit verify") path="audit verify" ;;
      "audit export") path="audit export" ;;
      "audit suggest") path="audit suggest" ;;
      "exec") path="exec" ;;
      "shell") path="shell" ;;
      "lockdown") path="lockdown" ;;
      "unlock") path="unlock" ;;
      "canary") path="canary" ;;
      "canary plant") path="canary plant" ;;
      "canary remove") path="canary remove" ;;
      "canary status") path="canary status" ;;
      "canary alerts") path="canary alerts" ;;
      "canary watch") path="canary watch" ;;
      "canary test") path="canary test" ;;
      "canary config") path="canary config" ;;
      "completion") path="completion" ;;
    esac
  done
  case "$path" in
    "") words="check explain hook install uninstall doctor rules trust untrust audit exec shell lockdown unlock canary completion --version -V --help" ;;
    "check") words="--json --explain --cwd --file --batch --audit --help" ;;
    "explain") words="--cwd --help" ;;
    "hook") words="--help" ;;
    "install") words="--user --project --help" ;;
    "uninstall") words="--user --project --help" ;;
    "doctor") words="--json --project --help" ;;
    "rules") words="list show test lint --help" ;;
    "rules list") words="--json --help" ;;
    "rules show") words="--help" ;;
    "rules test") words="--help" ;;
    "rules lint") words="--help" ;;
    "trust") words="--help" ;;
    "untrust") words="--help" ;;
    "audit") words="path tail stats verify export suggest --help" ;;
    "audit path") words="--help" ;;
    "audit tail") words="--lines -n --follow -f --json --help" ;;
    "audit stats") words="--top --json --help" ;;
    "audit verify") words="--json --help" ;;
    "audit export") words="--format --help" ;;
    "audit suggest") words="--min --cwd --json --help" ;;
    "exec") words="-c --help" ;;
    "shell") words="--help" ;;
    "lockdown") words="--status --help" ;;
    "unlock") words="--help" ;;
    "canary") words="plant remove status alerts watch test config --help" ;;
    "canary plant") words="--kinds --dir --domain --docker-helper --json --help" ;;
    "canary remove") words="--json --help" ;;
    "canary status") words="--json --help" ;;
    "canary alerts") words="--json --limit --help" ;;
    "canary watch") words="--detach --stop --no-lease --atime --systemd-unit --help" ;;
    "canary test") words="--json --help" ;;
    "canary config") words="--webhook --no-webhook --webhook-secret --desktop --help" ;;
    "completion") words="--help" ;;
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _guard guard

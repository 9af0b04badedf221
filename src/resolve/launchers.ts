// Launchers: commands that run another command given in their arguments (sudo, env, nice, timeout, ...).
import type { Arg } from "../core/types.ts";

export interface Unwrapped {
  /** The argv of the command the launcher runs (empty when it runs none, e.g. `sudo -v`). */
  readonly inner: readonly Arg[];
  /** Assignments the launcher applies (`env A=1 cmd`). */
  readonly env?: Record<string, string>;
  /** A directory the launcher changes into (`env -C dir`, `sudo -D dir`). */
  readonly chdir?: string;
  /** `env -S 'string'`: the string is split into words by the launcher. */
  readonly splitString?: Arg;
}

interface Spec {
  /** Options that take a value as the next word (or attached to a short option). */
  readonly valued: readonly string[];
  /** How many leading positional words belong to the launcher itself (timeout's DURATION, chroot's DIR). */
  readonly positionals?: number;
  /** Options that mean "no command runs" (sudo -l, command -v). */
  readonly noRun?: readonly string[];
  /** Stop at the first word that is not an option even if it starts with "-" (xargs-style). */
  readonly assignments?: boolean;
}

const SPECS: Record<string, Spec> = {
  sudo: {
    valued: [
      "-u",
      "-g",
      "-h",
      "-p",
      "-C",
      "-D",
      "-r",
      "-R",
      "--chroot",
      "-t",
      "-T",
      "-U",
      "--user",
      "--group",
      "--host",
      "--prompt",
      "--close-from",
      "--chdir",
      "--role",
      "--type",
      "--command-timeout",
      "--other-user",
    ],
    noRun: [
      "-l",
      "--list",
      "-v",
      "--validate",
      // -k (forget the cached password) still runs a command when one is given; -K never does.
      "-K",
      "--remove-timestamp",
      "-V",
      "--version",
      "-e",
      "--edit",
    ],
    assignments: true,
  },
  doas: { valued: ["-u", "-C"], noRun: ["-L"] },
  run0: { valued: ["-u", "--user", "-g", "--group", "-D", "--chdir", "--setenv", "--property"] },
  pkexec: { valued: ["--user"] },
  env: {
    valued: [
      "-u",
      "--unset",
      "-C",
      "--chdir",
      "-P",
      "-S",
      "--split-string",
      "--block-signal",
      "--default-signal",
      "--ignore-signal",
    ],
    assignments: true,
  },
  command: { valued: [], noRun: ["-v", "-V"] },
  builtin: { valued: [] },
  exec: { valued: ["-a"] },
  nohup: { valued: [] },
  setsid: { valued: [] },
  nice: { valued: ["-n", "--adjustment"] },
  ionice: { valued: ["-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"] },
  timeout: { valued: ["-s", "--signal", "-k", "--kill-after"], positionals: 1 },
  time: { valued: ["-f", "--format", "-o", "--output"] },
  stdbuf: { valued: ["-i", "-o", "-e", "--input", "--output", "--error"] },
  flock: { valued: ["-w", "--timeout", "-E", "--conflict-exit-code"], positionals: 1 },
  chroot: { valued: ["--userspec", "--groups"], positionals: 1 },
  unbuffer: { valued: [] },
  caffeinate: { valued: ["-t", "-w"] },
  proxychains: { valued: ["-f"] },
  proxychains4: { valued: ["-f"] },
  torsocks: { valued: ["-u", "-p", "-a", "-P"] },
  strace: { valued: ["-e", "-o", "-p", "-s", "-u", "-E", "-I", "-b", "-a", "-O", "-S", "-X", "-P"] },
  ltrace: { valued: ["-e", "-o", "-p", "-s", "-u", "-n", "-a", "-A", "-D", "-F", "-l", "-x", "-X"] },
  chronic: { valued: [] },
  catchsegv: { valued: [] },
  systemd_run: {
    valued: [
      "-u",
      "--unit",
      "-p",
      "--property",
      "--nice",
      "--slice",
      "--description",
      "--uid",
      "--gid",
      "--on-calendar",
      "--on-active",
      "--timer-property",
      "-E",
      "--setenv",
      "--uid",
      "--gid",
      "--working-directory",
      "-M",
      "--machine",
      "--description",
      "--slice",
    ],
  },
  firejail: { valued: [] },
  dotenv: { valued: ["-e", "-v", "-c"] },
  unshare: { valued: ["--propagation", "--setgroups", "-S", "--setuid", "-G", "--setgid", "--root", "--wd"] },
  nsenter: { valued: ["-t", "--target", "-S", "--setuid", "-G", "--setgid", "--wd", "-w"] },
  taskset: { valued: [], positionals: 1 },
  chrt: { valued: [], positionals: 1 },
  "npm-exec": { valued: [] },
  numactl: {
    valued: [
      "-C",
      "--physcpubind",
      "-N",
      "--cpunodebind",
      "-m",
      "--membind",
      "-p",
      "--preferred",
      "-i",
      "--interleave",
    ],
  },
  prlimit: { valued: ["-p", "--pid"] },
  setpriv: {
    valued: [
      "--reuid",
      "--regid",
      "--groups",
      "--inh-caps",
      "--ambient-caps",
      "--bounding-set",
      "--securebits",
      "--selinux-label",
      "--apparmor-profile",
    ],
  },
  faketime: { valued: ["-f"], positionals: 1 },
  perf: {
    valued: ["-e", "--event", "-o", "--output", "-p", "--pid", "-r", "--repeat", "-x", "-F", "--freq"],
    positionals: 1,
  },
  valgrind: { valued: [] },
  setarch: { valued: [], positionals: 1 },
  linux32: { valued: [] },
  linux64: { valued: [] },
  "ssh-agent": { valued: ["-a", "-E", "-P", "-t"] },
  bwrap: {
    valued: [
      "--bind",
      "--ro-bind",
      "--dev-bind",
      "--bind-try",
      "--ro-bind-try",
      "--symlink",
      "--chdir",
      "--setenv",
      "--unsetenv",
      "--dev",
      "--proc",
      "--tmpfs",
      "--dir",
      "--file",
      "--uid",
      "--gid",
      "--hostname",
      "--remount-ro",
      "--seccomp",
      "--cap-add",
      "--cap-drop",
      "--lock-file",
      "--sync-fd",
      "--info-fd",
      "--userns",
      "--pidns",
      "--exec-label",
      "--file-label",
      "--args",
    ],
  },
  eatmydata: { valued: [] },
  "cross-env": { valued: [], assignments: true },
  "cross-env-shell": { valued: [], assignments: true },
  "env-cmd": { valued: ["-f", "--file", "-e", "--environments", "-r", "--rc-file"] },
  devbox: { valued: ["-c", "--config"], positionals: 1 },
  toolbox: { valued: ["-c", "--container", "-d", "--distro", "-r", "--release"], positionals: 1 },
  "flatpak-spawn": { valued: ["--env", "--directory", "--forward-fd"] },
  "distrobox-host-exec": { valued: [] },
  "distrobox-enter": { valued: ["-n", "--name"] },
  ts: { valued: ["-L", "-N", "-D", "-E"] },
  tsp: { valued: ["-L", "-N", "-D", "-E"] },
  retry: {
    valued: [
      "-t",
      "--tries",
      "-d",
      "--delay",
      "-m",
      "--min",
      "-x",
      "--max",
      "-u",
      "--until",
      "-w",
      "--while",
    ],
  },
  pipenv: { valued: [], positionals: 1 },
  hatch: { valued: ["-e", "--env"], positionals: 1 },
  pdm: { valued: ["-p", "--project"], positionals: 1 },
  rye: { valued: [], positionals: 1 },
  pixi: { valued: ["-e", "--environment", "--manifest-path"], positionals: 1 },
  "with-contenv": { valued: [] },
  gosu: { valued: [], positionals: 1 },
  "su-exec": { valued: [], positionals: 1 },
  chpst: {
    valued: ["-u", "-U", "-e", "-/", "-n", "-l", "-L", "-m", "-d", "-o", "-p", "-f", "-c", "-r", "-t"],
  },
  "gnome-terminal": { valued: ["--title", "-t", "--working-directory", "--profile", "--geometry", "--role"] },
  cpulimit: { valued: ["-l", "--limit", "-p", "--pid", "-e", "--exe", "-c", "--cpu"] },
  fakeroot: { valued: ["-l", "--lib", "--faked", "-s", "-i"] },
  sshpass: { valued: ["-p", "-f", "-d", "-e", "-P"] },
  "aws-vault": { valued: ["-d", "--duration", "-t", "--mfa-token", "-r", "--region"], positionals: 2 },
  envchain: { valued: [], positionals: 1 },
  direnv: { valued: [], positionals: 2 },
  mise: { valued: ["-C", "--cd", "-E", "--env", "-j", "--jobs"], positionals: 1 },
  asdf: { valued: [], positionals: 1 },
  doppler: { valued: ["-p", "--project", "-c", "--config", "--token"], positionals: 1 },
  infisical: { valued: ["--env", "--path", "--projectId", "--token"], positionals: 1 },
  dotenvx: { valued: ["-f", "--env-file", "-e", "--env"], positionals: 1 },
  microk8s: { valued: [] },
  k3s: { valued: [] },
  wsl: { valued: ["-d", "--distribution", "-u", "--user", "--cd"] },
  watchexec: {
    valued: [
      "-w",
      "--watch",
      "-e",
      "--exts",
      "-f",
      "--filter",
      "-i",
      "--ignore",
      "-d",
      "--debounce",
      "-s",
      "--signal",
    ],
  },
  entr: { valued: [] },
};

export function isLauncher(name: string): boolean {
  return name === "systemd-run" || Object.hasOwn(SPECS, name);
}

/** Splits an `env -S` string the way env does: on blanks, honouring simple quotes. */
function splitLikeEnv(s: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

export function unwrapLauncher(name: string, args: readonly Arg[]): Unwrapped | undefined {
  const spec = SPECS[name === "systemd-run" ? "systemd_run" : name];
  if (!spec) return undefined;
  const env: Record<string, string> = {};
  let chdir: string | undefined;
  let split: Arg | undefined;
  let i = 0;
  let positionals = spec.positionals ?? 0;
  // `mise exec node@20 -- cmd`: tool specs come before `--`, the command after it.
  if ((name === "mise" || name === "asdf" || name === "rtx") && args.some((a) => a.value === "--"))
    return { inner: args.slice(args.findIndex((a) => a.value === "--") + 1) };
  for (; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.value;
    if (v === "--") {
      i++;
      break;
    }
    if (spec.noRun?.includes(v)) return { inner: [] };
    if (name === "env" && v === "-") continue; // `env - cmd`: -i, an empty environment
    if (v.startsWith("-") && v.length > 1 && !a.dynamic) {
      const eq = v.indexOf("=");
      const opt = eq > 0 ? v.slice(0, eq) : v;
      const attachedValue = eq > 0 ? v.slice(eq + 1) : undefined;
      // A cluster whose last letter takes a value (`sudo -nu root`, `strace -fo log`) takes the next word.
      const clusterValued = eq < 0 && /^-[A-Za-z]{2,}$/.test(v) && spec.valued.includes(`-${v.slice(-1)}`);
      const takesValue = spec.valued.includes(opt) || clusterValued;
      // A short option with its value attached: -uroot, -n10.
      const shortAttached = !takesValue && !v.startsWith("--") && spec.valued.includes(v.slice(0, 2));
      let value: string | undefined = attachedValue;
      if (takesValue && attachedValue === undefined) {
        value = args[i + 1]?.value;
        if ((opt === "-S" || opt === "--split-string") && args[i + 1]) split = args[i + 1];
        i++;
      } else if (shortAttached) value = v.slice(2);
      if (takesValue && (opt === "-S" || opt === "--split-string") && attachedValue !== undefined)
        split = { ...a, value: attachedValue };
      if (
        opt === "-C" ||
        opt === "--chdir" ||
        opt === "-D" ||
        opt === "--working-directory" ||
        opt === "--wd"
      )
        chdir = value;
      if (name === "env" && /^-[a-zA-Z]*S/.test(v) && !takesValue && !v.startsWith("--")) {
        // env -iS'cmd' or -vS cmd
        const rest = v.slice(v.indexOf("S") + 1);
        if (rest) split = { ...a, value: rest };
        else if (args[i + 1]) {
          split = args[i + 1];
          i++;
        }
      }
      continue;
    }
    // env takes any NAME=VALUE, even names a shell could not assign (BASH_FUNC_ls%%=...).
    if (
      spec.assignments &&
      (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v) || (name === "env" && /^[^=\s-][^=\s]*=/.test(v)))
    ) {
      const eq = v.indexOf("=");
      env[v.slice(0, eq)] = v.slice(eq + 1);
      continue;
    }
    if (positionals > 0) {
      positionals--;
      if (name === "chroot") chdir = "/";
      continue;
    }
    break;
  }
  if (split) {
    const words = splitLikeEnv(split.value).map((w) => ({ ...split, value: w, text: w }));
    return { inner: [...words, ...args.slice(i)], env, ...(chdir ? { chdir } : {}) };
  }
  return { inner: args.slice(i), env, ...(chdir ? { chdir } : {}) };
}

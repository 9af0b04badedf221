// The domain of `guard canary`: decoys, the inventory that records them, and the alerts they raise.

export const DECOY_KINDS = ["aws", "ssh", "kube", "gcp", "env", "npm", "docker", "git", "netrc"] as const;
export type DecoyKind = (typeof DECOY_KINDS)[number];

/** The tool plug-in point a decoy trips through when it is used (L1). */
export type TripProtocol = "aws" | "kube" | "ssh" | "docker";

/** What a planted file is: a decoy credential, a decoy config naming a tripwire, or a tripwire's script. */
export type DecoyRole = "credential" | "config" | "tripwire";

/** One file `plant` created. Enough to prove at removal that it is still exactly what was planted. */
export interface Decoy {
  /** Stable id, also the tripwire's argument: `aws-3f9c1e2a`. */
  readonly id: string;
  readonly kind: DecoyKind;
  readonly role: DecoyRole;
  readonly path: string;
  readonly mode: number;
  readonly sha256: string;
  readonly size: number;
  /** Device and inode after creation; a file replaced by rename has another inode. */
  readonly dev: number;
  readonly ino: number;
  /** Change and modification times (ns) after creation: unchanged ones prove the content is too, without reading it. */
  readonly ctimeNs: string;
  readonly mtimeNs: string;
  /** Secret values written into the file; any of them in a command line is a use of the decoy. */
  readonly tokens: readonly string[];
  /** Whether the read watcher (L2) watches it. Files a tool opens when it uses the decoy are not watched. */
  readonly watch: boolean;
  /** Set on tripwire scripts: the protocol `guard canary trip` answers in. */
  readonly trip?: TripProtocol;
  /** Ids of other planted files this one names (a config naming its tripwire script). */
  readonly refersTo?: readonly string[];
  /** Set while the file is being created: it may or may not exist (a crash between record and write). */
  readonly pending?: boolean;
}

export interface Inventory {
  readonly version: 1;
  /** The command tripwires run, as planted: [node, guard script]. */
  readonly guard: readonly string[];
  readonly decoys: readonly Decoy[];
  /** Directories plant created, parents first; removed (if empty) in reverse order. */
  readonly dirs: readonly string[];
}

export const EMPTY_INVENTORY: Inventory = { version: 1, guard: [], decoys: [], dirs: [] };

/** A process as /proc describes it. Every field but pid may be missing (it exited, or belongs to another user). */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid?: number;
  readonly uid?: number;
  readonly comm?: string;
  readonly argv?: readonly string[];
  readonly exe?: string;
  readonly cwd?: string;
}

export type AlertHow = "referenced" | "read" | "used";
export type AlertMechanism = "hook" | "check" | "lease" | "inotify" | "atime" | "tripwire";
/** critical: an AI agent is among the process's ancestors; low: a known backup or indexing tool; high: anything else. */
export type AlertSeverity = "critical" | "high" | "low";

export interface CanaryAlert {
  /** ISO 8601, UTC. */
  readonly time: string;
  readonly how: AlertHow;
  readonly mechanism: AlertMechanism;
  readonly decoy: { readonly path: string; readonly id?: string; readonly kind?: DecoyKind };
  readonly severity: AlertSeverity;
  /** The process that touched the decoy, when known, and its ancestors (parent first). */
  readonly process?: ProcessInfo;
  readonly ancestors?: readonly ProcessInfo[];
  /** exact: the kernel or the tool named the process; likely: inferred; none: unknown. */
  readonly attribution: "exact" | "likely" | "none";
  /** Allow-listed environment variables of the process that tell who ran it (CLAUDECODE, AWS_PROFILE, ...). */
  readonly envHints?: Readonly<Record<string, string>>;
  /** The command line or tool call, for references caught by the hook or `guard check`. */
  readonly command?: string;
  readonly session?: string;
  /** One line for the human: what happened beyond the fields above. */
  readonly detail?: string;
  /** Raised by `guard canary test`: recorded, never shown as a pending alert or sent. */
  readonly test?: boolean;
}

/** What the hook needs on every call: every decoy path and token, nothing else. */
export interface DecoyIndex {
  readonly paths: string[];
  readonly tokens: string[];
}

// The audit key: 32 random bytes kept in the state directory, created on first use. Every entry and the
// head are HMACed with it, so a chain rebuilt without it does not verify.
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { auditPaths } from "./paths.ts";
import { hex, hmacSha256 } from "../hash/sha256.ts";

/** Random bytes from the kernel, without loading node:crypto on the hook's hot path. */
function randomBytes(n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = openSync("/dev/urandom", "r");
  try {
    for (let got = 0; got < n;) got += readSync(fd, buf, got, n - got, null);
  } finally {
    closeSync(fd);
  }
  return buf;
}

export interface AuditKey {
  readonly bytes: Buffer;
  /** HMAC of a fixed label: the first entry's `prev`, so the chain commits to this key. */
  readonly id: string;
  /** Made by this process just now: a log that already has entries lost its key. */
  readonly created?: boolean;
}

const KEY_BYTES = 32;
const cache = new Map<string, AuditKey>();

/** Reads every key from its file again on next use (a long-lived process: a human may have replaced it). */
export function forgetKeys(): void {
  cache.clear();
}

export function hmac(key: AuditKey, domain: "entry" | "head", canonical: string): string {
  return hex(hmacSha256(key.bytes, `guard-audit-v1 ${domain}\n`, canonical));
}

export function keyFromBytes(bytes: Buffer, file = "the audit key"): AuditKey {
  if (bytes.length !== KEY_BYTES) {
    throw new Error(
      `${file} holds ${bytes.length} bytes, not ${KEY_BYTES}: the audit key was damaged; move the audit files aside to start a new log`,
    );
  }
  // The id is only needed to start or verify a chain, not to append to one: computed on first use.
  let id: string | undefined;
  return {
    bytes,
    get id() {
      return (id ??= hex(hmacSha256(bytes, "guard-audit-v1 key-id")));
    },
  };
}

function readKey(file: string): AuditKey | undefined {
  try {
    return keyFromBytes(readFileSync(file), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** The key of the audit trail in `dir`; with `create`, makes one when there is none. */
export function loadKey(dir: string, create: boolean): AuditKey | undefined {
  const hit = cache.get(dir);
  if (hit) return hit;
  const { key: file } = auditPaths(dir);
  let key = readKey(file);
  let created = false;
  if (!key && create) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written whole under a private name, then linked into place: a concurrent reader never sees half a
    // key, and when two processes race, link fails for the loser, who reads the winner's key.
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
    writeFileSync(tmp, randomBytes(KEY_BYTES), { mode: 0o600, flag: "wx" });
    try {
      linkSync(tmp, file);
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      unlinkSync(tmp);
    }
    key = readKey(file);
  }
  if (key) cache.set(dir, key);
  return key && created ? { bytes: key.bytes, id: key.id, created } : key;
}

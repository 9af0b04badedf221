// The head file: the last entry's seq and mac and the log's size after it, keyed. The log alone cannot
// show that its tail was cut off; comparing its end with the head does.
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { canonicalJson } from "./canonical.ts";
import { hmac, type AuditKey } from "./key.ts";

export interface Head {
  readonly seq: number;
  readonly mac: string;
  /** Bytes in the log once that entry was written. */
  readonly size: number;
}

export type HeadState =
  | { readonly state: "ok"; readonly head: Head }
  | { readonly state: "missing" }
  | { readonly state: "invalid"; readonly why: string };

function headMac(key: AuditKey, h: Head): string {
  return hmac(key, "head", canonicalJson({ seq: h.seq, mac: h.mac, size: h.size }));
}

export function readHead(file: string, key: AuditKey): HeadState {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { state: "invalid", why: "it is not JSON" };
  }
  const h = v as Partial<Head> & { hmac?: unknown };
  if (
    !Number.isSafeInteger(h.seq) ||
    typeof h.mac !== "string" ||
    !Number.isSafeInteger(h.size) ||
    typeof h.hmac !== "string"
  ) {
    return { state: "invalid", why: "it lacks seq, mac, size or hmac" };
  }
  const head: Head = { seq: h.seq as number, mac: h.mac, size: h.size as number };
  if (headMac(key, head) !== h.hmac)
    return { state: "invalid", why: "its hmac does not match (edited, or made without the key)" };
  return { state: "ok", head };
}

/** Every head is this long (JSON padded with spaces), so an update overwrites the old one in place. */
const HEAD_BYTES = 256;

/**
 * Overwrites the head in place, under the append lock. Not write-aside-and-rename: on ext4 a rename
 * over an existing file flushes its data, which costs the hot path milliseconds. Readers take the lock
 * too (see verify), so nobody sees half a head; a crash mid-write leaves an invalid head, which the
 * next append records and verify reports.
 */
export function writeHead(file: string, key: AuditKey, head: Head): void {
  const json = JSON.stringify({ ...head, hmac: headMac(key, head) });
  const buf = Buffer.alloc(HEAD_BYTES, " ");
  buf.write(json, "utf8");
  buf.write("\n", HEAD_BYTES - 1, "utf8");
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT, 0o600);
  try {
    writeSync(fd, buf, 0, HEAD_BYTES, 0);
    if (fstatSync(fd).size > HEAD_BYTES) ftruncateSync(fd, HEAD_BYTES);
  } finally {
    closeSync(fd);
  }
}

// Secret values for decoys, in each vendor's real format (checksums included), so that they look
// used-worthy to an agent and a scanner alike. Each is random: the hook recognises them by value.
import { randomBytes, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const AWS_SECRET = BASE62 + "/+";

export function randomFrom(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export function digits(length: number): string {
  return String(randomInt(1, 10)) + randomFrom("0123456789", length - 1);
}

let crcTable: number[] | undefined;

export function crc32(text: string): number {
  if (!crcTable) {
    crcTable = [];
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable.push(c >>> 0);
    }
  }
  let crc = 0xffffffff;
  for (const b of Buffer.from(text, "utf8")) crc = (crcTable[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  let out = "";
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, "0");
}

/** GitHub's and npm's format: prefix, 30 random base62 characters, and their CRC32 in 6 base62 characters. */
function checksummed(prefix: string): string {
  const body = randomFrom(BASE62, 30);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
}

export const tokens = {
  awsAccessKeyId: () => "AKIA" + randomFrom(BASE32, 16),
  awsSecretAccessKey: () => randomFrom(AWS_SECRET, 40),
  githubPat: () => checksummed("ghp_"),
  npmToken: () => checksummed("npm_"),
  dockerPat: () => "dckr_pat_" + randomFrom(BASE62 + "-_", 27),
  openaiKey: () => "sk-proj-" + randomFrom(BASE62 + "-_", 64),
  stripeKey: () => "sk_live_" + randomFrom(BASE62, 48),
  password: () => randomFrom(BASE62, 24),
};

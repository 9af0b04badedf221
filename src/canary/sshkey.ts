// A real, unencrypted ed25519 key pair in OpenSSH's own format, made without ssh-keygen
// (so plant works where OpenSSH is not installed). `ssh-keygen -y -f` reads it back.
import { generateKeyPairSync, randomBytes } from "node:crypto";

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function str(data: Buffer | string): Buffer {
  const b = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return Buffer.concat([u32(b.length), b]);
}

export interface SshKeyPair {
  /** The private key file's content. */
  readonly privateKey: string;
  /** The public key line: `ssh-ed25519 AAAA... comment`. */
  readonly publicKey: string;
  /** The base64 public key blob: unique to this key, present in both files. */
  readonly blob: string;
}

export function ed25519KeyPair(comment: string): SshKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d as string, "base64url");
  const pubBlob = Buffer.concat([str("ssh-ed25519"), str(pub)]);
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    str("ssh-ed25519"),
    str(pub),
    str(Buffer.concat([seed, pub])),
    str(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (secret.length + pad.length) % 8 !== 0; i++) pad.push(i);
  secret = Buffer.concat([secret, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    str("none"),
    str("none"),
    str(""),
    u32(1),
    str(pubBlob),
    str(secret),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  const blob = pubBlob.toString("base64");
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${blob} ${comment}\n`,
    blob,
  };
}

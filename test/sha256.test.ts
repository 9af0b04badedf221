// The plain-JavaScript SHA-256 and HMAC (used to keep node:crypto off the hook's hot path) agree with
// node:crypto on every input.
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex, hmacSha256, sha256 } from "../src/act/hash/sha256.ts";

describe("sha256 and hmacSha256", () => {
  it("match node:crypto on known vectors", () => {
    expect(hex(sha256(""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(sha256("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("match node:crypto on arbitrary data and keys", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.string({ maxLength: 200 }),
        (data, key, text) => {
          expect(hex(sha256(data))).toBe(createHash("sha256").update(data).digest("hex"));
          expect(hex(hmacSha256(key, data, text))).toBe(
            createHmac("sha256", key).update(data).update(text).digest("hex"),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

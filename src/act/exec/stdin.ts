// Reads all of stdin synchronously (a script handed to `guard shell`), even from a non-blocking pipe.
import { sleepSync } from "../sleep.ts";
import { readSync } from "node:fs";

export function readAllStdin(limit = 16 << 20): string {
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        sleepSync(5);
        continue;
      }
      if (code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    size += n;
    if (size > limit) throw new Error(`the script on stdin is larger than ${limit} bytes`);
  }
  return Buffer.concat(chunks).toString("utf8");
}

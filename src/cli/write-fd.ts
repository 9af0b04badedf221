// Writes to a file descriptor synchronously (stdout, stderr) without creating process.stdout, whose
// stream machinery costs milliseconds at start on every hook call.
import { writeSync } from "node:fs";

export function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}

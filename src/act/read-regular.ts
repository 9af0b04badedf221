// Reads a file only if it is a regular file, opened non-blocking: a FIFO or a device planted where a
// file is expected (.git/HEAD, a kubeconfig, a project's config) cannot stall guard.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** The bytes of `path` (at most `max`); throws if it is missing, not a regular file, or larger. */
export function readRegular(path: string, max: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    if (st.size > max) throw new Error(`${path} is larger than ${max} bytes`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

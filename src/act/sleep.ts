// Blocking sleep for synchronous code paths (lock polling, a terminal or pipe that is not ready).
let sleeper: Int32Array | undefined;

/** Blocks the thread for `ms` (fractions allowed) without spinning. */
export function sleepSync(ms: number): void {
  // Made on first use: a startup snapshot is built where SharedArrayBuffer does not exist.
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}

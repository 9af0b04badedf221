// Agent hook entry point (see issue: agent hooks). Fails closed until implemented.
export async function runHook(_args: readonly string[]): Promise<number> {
  process.stderr.write("guard: hook entry point not available\n");
  return 2;
}

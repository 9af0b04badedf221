// Reads and writes the hosts' JSON settings files without losing anything guard did not add.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export class InstallError extends Error {}

export function readJsonObject(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, "utf8");
  if (!text.trim()) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InstallError(
      `${file} is not valid JSON (${(e as Error).message}); fix it first, guard will not overwrite it`,
    );
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new InstallError(`${file} does not hold a JSON object; guard will not overwrite it`);
  return data as Record<string, unknown>;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a settings file. */
export function writeAtomic(file: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.guard-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

export function writeJsonObject(file: string, data: Record<string, unknown>): void {
  writeAtomic(file, JSON.stringify(data, null, 2) + "\n");
}

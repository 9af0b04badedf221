// The shell that runs judged command lines: bash from a system directory, because guard's parser reads
// bash syntax, and never $SHELL or PATH (guard may itself be $SHELL, and the agent controls PATH).
import { existsSync } from "node:fs";

const CANDIDATES = ["/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash", "/opt/homebrew/bin/bash", "/bin/sh"];

export function realShell(): string {
  return CANDIDATES.find((p) => existsSync(p)) ?? "/bin/sh";
}

// The shell that runs judged command lines: bash from a system directory, because guard's parser reads
// bash syntax, and never $SHELL or PATH (guard may itself be $SHELL, and the agent controls PATH).
import { existsSync } from "node:fs";

const CANDIDATES = ["/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash", "/opt/homebrew/bin/bash", "/bin/sh"];

export interface RealShell {
  readonly file: string;
  /** Options that go first: no startup files, which would run commands nobody judged (bash reads
   * ~/.bashrc even for -c when it guesses sshd started it). */
  readonly prefix: readonly string[];
}

export function realShell(): RealShell {
  const file = CANDIDATES.find((p) => existsSync(p)) ?? "/bin/sh";
  return { file, prefix: file.endsWith("bash") ? ["--norc", "--noprofile"] : [] };
}

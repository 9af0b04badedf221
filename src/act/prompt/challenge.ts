// The word a human types to approve: drawn fresh for every prompt and shown only on the terminal, so
// neither `yes |`, a canned answer nor anything the agent read earlier can give it.
import { randomInt } from "node:crypto";

const WORDS = [
  "amber", "anvil", "aspen", "badge", "banjo", "basil", "birch", "bison", "cabin", "camel", "cedar", "chalk",
  "cider", "cliff", "cobra", "coral", "crane", "delta", "dingo", "ember", "fable", "fern", "fjord", "flint",
  "gecko", "ginger", "glade", "grove", "hazel", "heron", "igloo", "ivory", "jade", "kayak", "koala", "lemon",
  "lilac", "llama", "lotus", "lunar", "mango", "maple", "marsh", "melon", "moose", "mural", "nectar", "noble",
  "oasis", "olive", "onyx", "opal", "otter", "panda", "pearl", "pecan", "pilot", "plum", "quartz", "quill",
  "raven", "reef", "robin", "sable", "sage", "salmon", "satin", "shale", "slate", "spruce", "tango", "thyme",
  "topaz", "tulip", "umber", "velvet", "violet", "walnut", "willow", "zebra",
] as const;

export function challengeWord(): string {
  return WORDS[randomInt(WORDS.length)] as string;
}

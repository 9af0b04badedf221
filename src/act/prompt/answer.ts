// Reads what the human typed: the word allows once, the word and a number of minutes allows this exact
// command for that long in this session; anything else denies.
import { MAX_APPROVAL_MINUTES } from "../session/approvals.ts";

export type Choice =
  | { readonly answer: "allow-once" }
  | { readonly answer: "allow-session"; readonly minutes: number }
  | { readonly answer: "deny" };

export function parseAnswer(typed: string, word: string): Choice {
  const parts = typed.trim().toLowerCase().split(/\s+/);
  if (parts[0] !== word) return { answer: "deny" };
  if (parts.length === 1) return { answer: "allow-once" };
  const minutes = parts.length === 2 && /^\d{1,4}$/.test(parts[1] as string) ? Number(parts[1]) : NaN;
  if (minutes >= 1 && minutes <= MAX_APPROVAL_MINUTES) return { answer: "allow-session", minutes };
  return { answer: "deny" };
}

// The audit trail: every decision guard makes, appended to a chained, keyed log outside the project.
export type {
  AuditHost,
  AuditInput,
  AuditInvocation,
  AuditKind,
  AuditOptions,
  AuditOutcome,
  AuditPrompt,
  AuditRecord,
  BadEntry,
  VerifyResult,
} from "./types.ts";
export { appendAudit } from "./append.ts";
export { auditPaths, type AuditPaths } from "./paths.ts";
export { readAudit, readLogLines } from "./read.ts";
export { verifyAudit } from "./verify.ts";
export { auditStats, commandShape, type AuditStats, type Tally } from "./stats.ts";
export { suggestRules, type AllowRuleRef, type RuleSuggestion, type Suggestions } from "./suggest.ts";
export { exportAudit, syslogLine, type ExportFormat } from "./export.ts";
export { wasApproved, wasAsked } from "./approval.ts";

// What the agent is told when a human could not, did not or would not approve. It never says how to approve.
/** For the agent when nobody can be asked. It must not learn how approval works. */
export const NO_HUMAN_REASON =
  "No human is available to confirm it here. Stop and ask your user to run or confirm this themselves; do not try another way to do the same thing.";

/** For the agent when the human said no, or did not answer. */
export const HUMAN_DECLINED_REASON =
  "Your user declined this command. Do not retry it or work around it; ask your user how to proceed.";
export const HUMAN_SILENT_REASON =
  "Nobody confirmed this command in time. Stop and ask your user how to proceed; do not try another way to do the same thing.";

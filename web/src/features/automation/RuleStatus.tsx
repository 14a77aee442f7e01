import { Badge } from '@mantine/core';

const RULE_COLORS: Record<string, string> = { active: 'teal', draft: 'gray', retired: 'dark' };
const RUN_COLORS: Record<string, string> = { success: 'teal', failure: 'red', 'in-progress': 'blue' };
const RUN_WORDS: Record<string, string> = { success: 'Done', failure: 'Failed', 'in-progress': 'Waiting' };

/** A rule's status: active rules run, drafts never do. */
export function RuleStatus({ status }: { status: string }) {
  return (
    <Badge color={RULE_COLORS[status] ?? 'gray'} variant="light" style={{ width: 'max-content' }}>
      {status}
    </Badge>
  );
}

/** How a run ended (or that it waits: a wait step, or an action to try again). */
export function RunStatus({ status }: { status: string }) {
  return (
    <Badge color={RUN_COLORS[status] ?? 'gray'} variant="light" style={{ width: 'max-content' }}>
      {RUN_WORDS[status] ?? status}
    </Badge>
  );
}

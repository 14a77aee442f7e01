import { Badge } from '@mantine/core';

const RULE_STATUS: Record<string, { words: string; color: string }> = {
  active: { words: 'Active', color: 'teal' },
  draft: { words: 'Draft', color: 'gray' },
  retired: { words: 'Retired', color: 'dark' },
};

const RUN_STATUS: Record<string, { words: string; color: string }> = {
  success: { words: 'Done', color: 'teal' },
  stopped: { words: 'Stopped', color: 'yellow' },
  failure: { words: 'Failed', color: 'red' },
  'in-progress': { words: 'Waiting', color: 'blue' },
};

/** A rule's status: active rules run, drafts never do. */
export function RuleStatus({ status }: { status: string }) {
  const shown = RULE_STATUS[status] ?? { words: status, color: 'gray' };
  return (
    <Badge color={shown.color} variant="light" tt="none" style={{ width: 'max-content' }}>
      {shown.words}
    </Badge>
  );
}

/**
 * How a run ended (or that it waits: a wait step, or an action to try again). A run that
 * ended because a wait's stop condition held ("the gap was closed") says Stopped, not Done.
 */
export function RunStatus({ run }: { run: { status: string; actions: { outcome: string }[] } }) {
  const stopped = run.status === 'success' && run.actions.some((action) => action.outcome === 'stopped');
  const shown = RUN_STATUS[stopped ? 'stopped' : run.status] ?? { words: run.status, color: 'gray' };
  return (
    <Badge color={shown.color} variant="light" tt="none" style={{ width: 'max-content' }}>
      {shown.words}
    </Badge>
  );
}

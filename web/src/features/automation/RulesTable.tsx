import { Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { RuleStatus, RunStatus } from './RuleStatus.tsx';
import { actionSummary, ruleTitle, triggerSummary, useRuns, type RulePlan } from './use-automation.ts';

/** A rule's last run: when, and how it ended. */
function LastRun({ ruleId }: { ruleId: string }) {
  const runs = useRuns(ruleId, 1);
  const last = runs.data?.runs[0];
  if (runs.isPending)
    return (
      <Text size="xs" c="dimmed">
        …
      </Text>
    );
  if (!last)
    return (
      <Text size="xs" c="dimmed">
        never
      </Text>
    );
  return (
    <>
      <RunStatus status={last.status} />
      <Text size="xs" c="dimmed">
        {formatDateTime(last.at)}
      </Text>
    </>
  );
}

/** One rule: its title and actions, status, version, trigger, last run, and the button that opens it. */
function RuleRow({
  plan,
  selected,
  onSelect,
}: {
  plan: RulePlan;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  return (
    <Table.Tr data-testid="rule-row" data-selected={selected || undefined}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {ruleTitle(plan)}
        </Text>
        <Text size="xs" c="dimmed">
          {actionSummary(plan)}
        </Text>
      </Table.Td>
      <Table.Td data-label="Status">
        <RuleStatus status={plan.status} />
      </Table.Td>
      <Table.Td data-label="Version">
        {plan.meta?.versionId ?? '–'}
        <Text size="xs" c="dimmed">
          {formatDateTime(plan.meta?.lastUpdated)}
        </Text>
      </Table.Td>
      <Table.Td data-label="When">{triggerSummary(plan)}</Table.Td>
      <Table.Td data-label="Last run">
        <LastRun ruleId={plan.id} />
      </Table.Td>
      <Table.Td>
        <Button
          size="compact-sm"
          variant="light"
          aria-current={selected || undefined}
          onClick={() => onSelect(plan.id)}
          aria-label={`Open ${ruleTitle(plan)}`}
        >
          Open
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * Every automation rule: active or draft, its version, what starts it, what it does, its last
 * run. On a phone each rule stacks its cells, each named, instead of squeezing six columns.
 */
export function RulesTable({
  rules,
  selected,
  onSelect,
}: {
  rules: RulePlan[];
  selected?: string;
  onSelect: (id: string) => void;
}) {
  return (
    <div className="tl-scroll-x" tabIndex={0} role="region" aria-label="Rules (scrolls sideways)">
      <Table verticalSpacing={6} fz="sm" striped className="tl-stack-on-phone">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Last run</Table.Th>
            <Table.Th>
              <VisuallyHidden>Open</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rules.map((plan) => (
            <RuleRow key={plan.id} plan={plan} selected={plan.id === selected} onSelect={onSelect} />
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

import { Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { clinicTime, exactTime } from './clinic-time.ts';
import { RuleStatus, RunStatus } from './RuleStatus.tsx';
import { stepsInWords } from './step-words.ts';
import { triggerWords } from './trigger-words.ts';
import { ruleTitle, stepsOf, useRuns, type RulePlan } from './use-automation.ts';

/** A rule's last run: how it ended, and when (clinic time). */
function LastRun({ ruleId, zone }: { ruleId: string; zone?: string }) {
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
        Not run yet
      </Text>
    );
  return (
    <>
      <RunStatus run={last} />
      <Text size="xs" c="dimmed" title={exactTime(last.at, zone)}>
        {clinicTime(last.at, { zone })}
      </Text>
    </>
  );
}

/** One rule: its title and actions, status, version, trigger, last run, and the button that opens it. */
function RuleRow({
  plan,
  selected,
  zone,
  onSelect,
}: {
  plan: RulePlan;
  selected: boolean;
  zone?: string;
  onSelect: (id: string) => void;
}) {
  return (
    <Table.Tr data-testid="rule-row" data-selected={selected || undefined}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {ruleTitle(plan)}
        </Text>
        <Text size="xs" c="dimmed">
          {stepsInWords(stepsOf(plan))}
        </Text>
      </Table.Td>
      <Table.Td data-label="Status">
        <RuleStatus status={plan.status} />
      </Table.Td>
      <Table.Td data-label="Version">
        {`Version ${plan.meta?.versionId ?? '–'}`}
        <Text size="xs" c="dimmed" title={exactTime(plan.meta?.lastUpdated, zone)}>
          {`changed ${clinicTime(plan.meta?.lastUpdated, { zone })}`}
        </Text>
      </Table.Td>
      <Table.Td data-label="Starts when">
        {(plan.action?.[0]?.trigger ?? []).map(triggerWords).join('; ')}
      </Table.Td>
      <Table.Td data-label="Last run">
        <LastRun ruleId={plan.id} zone={zone} />
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
 * Every automation rule: active or draft, its version, what starts it, what it does (in words:
 * "Send message: Results ready → Wait 3 days"), its last run. On a phone each rule stacks its
 * cells, each named, instead of squeezing six columns.
 */
export function RulesTable({
  rules,
  selected,
  zone,
  onSelect,
}: {
  rules: RulePlan[];
  selected?: string;
  zone?: string;
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
            <Table.Th>Starts when</Table.Th>
            <Table.Th>Last run</Table.Th>
            <Table.Th>
              <VisuallyHidden>Open</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rules.map((plan) => (
            <RuleRow
              key={plan.id}
              plan={plan}
              selected={plan.id === selected}
              zone={zone}
              onSelect={onSelect}
            />
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

import { List, Table, Text } from '@mantine/core';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { clinicTime, exactTime } from './clinic-time.ts';
import { stepAt } from './plan-facts.ts';
import { Fact, PatientLink, TechnicalDetail } from './parts.tsx';
import { RunStatus } from './RuleStatus.tsx';
import { factsOf, outcomeWords } from './step-words.ts';
import { eventWords } from './trigger-words.ts';
import { stepsOf, useRuns, type ActionOutcome, type RulePlan, type RuleRun } from './use-automation.ts';

interface Shown {
  plan: RulePlan;
  zone?: string;
}

/** Each step as it went, in words; a failed one in red with its reason. */
function Outcomes({ run, plan, zone }: Shown & { run: RuleRun }) {
  if (run.actions.length === 0)
    return (
      <Text size="sm" c={run.status === 'failure' ? 'red.9' : 'dimmed'}>
        {run.reason ?? 'Nothing to do'}
      </Text>
    );
  const timeIn = (value: string) => clinicTime(value, { zone });
  return (
    <List size="sm" spacing={2} listStyleType="none" withPadding={false}>
      {run.actions.map((action) => (
        <List.Item key={`${action.index}-${action.step ?? ''}`}>
          <Text size="sm" c={action.outcome === 'failed' ? 'red.9' : undefined}>
            {outcomeWords(action, factsOf(stepAt(stepsOf(plan), action)), timeIn)}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

function stepLine(action: ActionOutcome): string {
  const where = action.step ? ` [step ${action.step}]` : '';
  const said = [action.detail, action.result && `→ ${action.result}`].filter(Boolean).join(' ');
  return `${action.index + 1}. ${action.type}${where}: ${action.outcome}${said ? ` — ${said}` : ''} (${action.at})`;
}

/** Everything the run log holds about the run: rule version, trigger, keys, each step's codes. */
function RunDetail({ run, zone }: { run: RuleRun; zone?: string }) {
  return (
    <TechnicalDetail>
      <Fact name="Rule">{`PlanDefinition/${run.rule.id}/_history/${run.rule.version}`}</Fact>
      <Fact name="Trigger">{run.event}</Fact>
      {run.patient && <Fact name="Patient">{run.patient}</Fact>}
      <Fact name="At">{exactTime(run.at, zone)}</Fact>
      {run.reason && <Fact name="Reason">{run.reason}</Fact>}
      {run.actions.map((action) => (
        <Fact key={`${action.index}-${action.step ?? ''}`} name="Step">
          {stepLine(action)}
        </Fact>
      ))}
      <Fact name="Run key">{run.key}</Fact>
    </TechnicalDetail>
  );
}

function RunRow({ run, plan, zone }: Shown & { run: RuleRun }) {
  return (
    <Table.Tr data-testid="run-row" style={{ verticalAlign: 'top' }}>
      <Table.Td data-label="When" title={exactTime(run.at, zone)} style={{ whiteSpace: 'nowrap' }}>
        {clinicTime(run.at, { zone })}
      </Table.Td>
      <Table.Td data-label="Patient">
        <PatientLink reference={run.patient} name={run.patientName} />
      </Table.Td>
      <Table.Td data-label="Outcome">
        <RunStatus run={run} />
      </Table.Td>
      <Table.Td data-label="What happened">
        <Text size="xs" c="dimmed">
          {eventWords(run.event)}
        </Text>
        <Outcomes run={run} plan={plan} zone={zone} />
        <RunDetail run={run} zone={zone} />
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * A rule's runs, newest first: when (clinic time), for whom (by name, linked to their 360°
 * page), how it ended and what each step did in words; the references and codes one click away.
 */
export function RunsTable({ plan, zone }: Shown) {
  const runs = useRuns(plan.id);
  return (
    <QueryState
      query={runs}
      height={160}
      isEmpty={(data) => data.runs.length === 0}
      empty="No runs you may read yet. A rule runs when its trigger fires and its conditions hold; a run about a record your role may not read is not shown."
    >
      {(data) => (
        <Table verticalSpacing={6} fz="sm" striped className="tl-stack-on-phone" aria-label="Runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>What happened</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.runs.map((run) => (
              <RunRow key={run.key} run={run} plan={plan} zone={zone} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}

import { Anchor, List, Table, Text } from '@mantine/core';
import { Link } from 'wouter';
import { formatDateTime, idOf, patientName } from '../../shared/fhir/format.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import { useReferenced } from '../../shared/fhir/use-names.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { RunStatus } from './RuleStatus.tsx';
import { useRuns, type ActionOutcome, type RuleRun } from './use-automation.ts';

/** "Observation/7/_history/2" → "Observation 7 (version 2)" (a uuid shortened); a schedule's occurrence as its time. */
function triggerOf(run: RuleRun): string {
  if (run.event.startsWith('occurrence/')) return `schedule, ${formatDateTime(run.event.slice(11))}`;
  const [type, id = '', , version] = run.event.split('/');
  // A uuid is noise beside the patient's name: its first 8 characters tell records apart.
  const shortId = id.length > 12 ? `${id.slice(0, 8)}…` : id;
  return version ? `${type} ${shortId} (version ${version})` : run.event;
}

/** The patient a run was about: the one it names, else the Patient that triggered it. */
function patientOf(run: RuleRun): string | undefined {
  if (run.patient) return run.patient;
  const [type, id] = run.event.split('/');
  return type === 'Patient' && id ? `Patient/${id}` : undefined;
}

/** The patient by name (a link to the 360 view), so a reader need not look an id up. */
function PatientCell({ reference, patient }: { reference?: string; patient?: Patient }) {
  if (!reference) return null;
  return (
    <Anchor component={Link} href={`/patients/${idOf(reference)}`} size="xs" display="block">
      {patient ? patientName(patient) : reference}
    </Anchor>
  );
}

function outcomeLine(action: ActionOutcome): string {
  const where = action.step ? ` [${action.step}]` : '';
  const said = action.detail ?? action.result ?? '';
  return `${action.index + 1}. ${action.type}${where}: ${action.outcome}${said ? ` — ${said}` : ''}`;
}

/** Each action's outcome; a failed one in red with its reason. */
function Outcomes({ actions }: { actions: ActionOutcome[] }) {
  if (actions.length === 0)
    return (
      <Text size="xs" c="dimmed">
        no action
      </Text>
    );
  return (
    <List size="xs" spacing={2} listStyleType="none" withPadding={false}>
      {actions.map((action) => (
        <List.Item key={`${action.index}-${action.step ?? ''}`}>
          <Text size="xs" c={action.outcome === 'failed' ? 'red.9' : undefined}>
            {outcomeLine(action)}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

/** A rule's runs, newest first: what triggered each, every action's outcome, and why one failed. */
export function RunsTable({ ruleId }: { ruleId: string }) {
  const runs = useRuns(ruleId);
  const patients = useReferenced<Patient>('Patient', runs.data?.runs.map(patientOf) ?? []);
  return (
    <QueryState
      query={runs}
      height={160}
      isEmpty={(data) => data.runs.length === 0}
      empty="No runs yet. A rule runs when its trigger fires and its conditions hold."
    >
      {(data) => (
        <div className="tl-scroll-x" tabIndex={0} role="region" aria-label="Runs (scrolls sideways)">
          <Table verticalSpacing={6} fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Trigger</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.runs.map((run) => (
                <Table.Tr key={run.key} data-testid="run-row">
                  <Table.Td>{formatDateTime(run.at)}</Table.Td>
                  <Table.Td title={run.event}>
                    {triggerOf(run)}
                    <PatientCell
                      reference={patientOf(run)}
                      patient={patients.data?.get(patientOf(run) ?? '')}
                    />
                  </Table.Td>
                  <Table.Td>
                    <RunStatus status={run.status} />
                    {run.reason && (
                      <Text size="xs" c={run.status === 'failure' ? 'red.9' : 'dimmed'}>
                        {run.reason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Outcomes actions={run.actions} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </QueryState>
  );
}

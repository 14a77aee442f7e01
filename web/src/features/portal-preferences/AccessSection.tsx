import { Card, List, Stack, Text, Title } from '@mantine/core';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useAccessLog, type Access } from './use-preferences.ts';

const VERBS: Record<string, string> = {
  read: 'opened',
  vread: 'opened',
  search: 'looked through',
  create: 'added to',
  update: 'changed',
  delete: 'removed from',
};

/** "Patient" → "your details", "Observation" → "your results": what part of the record. */
const PARTS: Record<string, string> = {
  Patient: 'your details',
  Observation: 'your results',
  DiagnosticReport: 'your results',
  Appointment: 'your appointments',
  Condition: 'your health problems',
  Communication: 'your messages',
  Consent: 'your consent choices',
  Encounter: 'your visits',
  MedicationRequest: 'your medications',
};

function sentenceOf(access: Access): string {
  const verb = VERBS[access.action] ?? access.action.replace(/-/g, ' ');
  const part = access.what ? (PARTS[access.what] ?? `your record (${access.what})`) : 'your record';
  return `${verb} ${part}`;
}

/** Who at the clinic opened her record, by name and role, newest first (from the audit log). */
export function AccessSection() {
  const query = useAccessLog();
  return (
    <Stack gap="sm" component="section" aria-label="Who saw my record">
      <Title order={2} size="h4">
        Who saw my record
      </Title>
      <QueryState
        query={query}
        isEmpty={(rows) => rows.length === 0}
        empty="Nobody at the clinic has opened your record yet."
      >
        {(rows) => (
          <Card padding="md">
            <List spacing="sm" listStyleType="none">
              {rows.map((access, index) => (
                <List.Item key={`${access.recorded}-${index}`}>
                  <Text fw={600}>
                    {access.who} · {access.role}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {sentenceOf(access)} · {formatDateTime(access.recorded)}
                  </Text>
                </List.Item>
              ))}
            </List>
          </Card>
        )}
      </QueryState>
    </Stack>
  );
}

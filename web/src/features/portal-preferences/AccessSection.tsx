import { Card, List, Stack, Text, Title } from '@mantine/core';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { accessSentence } from './access-sentence.ts';
import { useAccessLog } from './use-preferences.ts';

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
                    {accessSentence(access)} · {formatDateTime(access.recorded)}
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

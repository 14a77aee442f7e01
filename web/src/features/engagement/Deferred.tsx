import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { outreachPurposeDisplay } from '../../shared/fhir/code-words.ts';
import { formatDateTime, patientName } from '../../shared/fhir/format.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import { useReferenced } from '../../shared/fhir/use-names.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useDeferred, type DeferredRequest } from './use-engagement.ts';

const WHY: Record<DeferredRequest['reason'], string> = {
  'quiet-hours': "the patient's quiet hours",
  'sms-cap': 'the limit of SMS a day or week',
};

const hourMinute = (zone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  });

/**
 * The patient's own clock at that instant, when it differs from the viewer's: quiet hours and
 * the SMS day are hers, so "goes at 14:00" only makes sense beside "08:00 her time".
 */
function theirTime(iso: string, zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  const at = new Date(iso);
  try {
    const theirs = hourMinute(zone).format(at);
    const viewers = hourMinute(Intl.DateTimeFormat().resolvedOptions().timeZone).format(at);
    return theirs === viewers ? undefined : theirs;
  } catch {
    return undefined; // a zone this browser does not know: the viewer's time alone
  }
}

function Waiting({ item, patient }: { item: DeferredRequest; patient?: Patient }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid="deferred-request">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          {item.channel && <Badge variant="light">{item.channel.toUpperCase()}</Badge>}
          <Text size="sm" fw={600}>
            {patient ? patientName(patient) : (item.patient ?? 'Patient')}
          </Text>
          {item.purpose && (
            <Text size="sm" c="dimmed">
              {outreachPurposeDisplay(item.purpose)}
            </Text>
          )}
        </Group>
        <Text size="sm">
          Goes {formatDateTime(item.until)}
          {theirTime(item.until, item.zone) && ` (${theirTime(item.until, item.zone)}, the patient's time)`}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        Due {formatDateTime(item.due)}, held back by {WHY[item.reason] ?? item.reason}.
      </Text>
    </Paper>
  );
}

/** What fell due but waits for its send window: when each goes next and why. */
export function Deferred() {
  const deferred = useDeferred();
  const patients = useReferenced<Patient>(
    'Patient',
    deferred.data?.deferred.map((item) => item.patient) ?? [],
  );
  return (
    <Stack gap="xs" component="section" aria-label="Waiting to go">
      <Title order={2} size="h4">
        Waiting to go {deferred.data && <Badge variant="default">{deferred.data.deferred.length}</Badge>}
      </Title>
      <QueryState
        query={deferred}
        height={60}
        isEmpty={(data) => data.deferred.length === 0}
        empty="Nothing held back by quiet hours or the SMS limit."
      >
        {(data) =>
          data.deferred.map((item) => (
            <Waiting
              key={item.request}
              item={item}
              patient={item.patient ? patients.data?.get(item.patient) : undefined}
            />
          ))
        }
      </QueryState>
    </Stack>
  );
}

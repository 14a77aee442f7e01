import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'wouter';
import {
  addressLine,
  ageOf,
  formatDate,
  idOf,
  mrnsOf,
  patientName,
  sourceName,
  telecomOf,
} from '../../shared/fhir/format.ts';
import type { Patient360 } from './view-types.ts';

const CHANNELS = ['sms', 'email', 'phone', 'whatsapp', 'post'];
const CHANNEL_NAMES: Record<string, string> = {
  sms: 'SMS',
  email: 'Email',
  phone: 'Phone',
  whatsapp: 'WhatsApp',
  post: 'Post',
};

/** BCP 47 code (`en`, `es-MX`) as a person reads it; the code itself if the browser does not know it. */
function languageName(code: string | undefined): string | undefined {
  if (!code) return undefined;
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children || '—'}
      </Text>
    </Stack>
  );
}

function ConsentBadges({ consent }: { consent: Record<string, 'permit' | 'deny'> }) {
  const asked = CHANNELS.filter((channel) => consent[channel]);
  if (asked.length === 0) return <>No consent recorded</>;
  return (
    <Group gap={4}>
      {asked.map((channel) => (
        <Badge
          key={channel}
          color={consent[channel] === 'permit' ? 'green' : 'red'}
          variant="light"
          size="sm"
        >
          {channel} {consent[channel] === 'permit' ? '✓' : '✗'}
        </Badge>
      ))}
    </Group>
  );
}

/** Who the person is, how to reach them, what they agreed to, and where they are in their journey. */
export function PatientHeader({ view }: { view: Patient360 }) {
  const { person, journey } = view;
  const patient = person.golden ?? person.records[0]?.patient;
  const age = ageOf(patient?.birthDate);
  const { contact } = person;
  return (
    <Card>
      <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
        <Stack gap={4}>
          <Title order={1} size="h2" data-testid="patient-name">
            {patientName(patient)}
          </Title>
          <Text c="dimmed" size="sm">
            {[patient?.gender, patient?.birthDate && `born ${formatDate(patient.birthDate)} (${age})`]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Stack>
        <Group gap="xs">
          {journey.stages.map((stage) => (
            <Badge
              key={stage.journey}
              className="tl-badge-wrap"
              size="lg"
              variant="light"
              color="teal"
              title={stage.title}
              tt="none"
            >
              {stage.display} · {stage.daysInStage} days
            </Badge>
          ))}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="md">
        <Fact label="Phone">{telecomOf(patient, 'phone')}</Fact>
        <Fact label="Email">{telecomOf(patient, 'email')}</Fact>
        <Fact label="Address">{addressLine(patient?.address?.[0])}</Fact>
        <Fact label="Language">{languageName(contact.language)}</Fact>
        <Fact label="Preferred channel">
          {contact.channel && (CHANNEL_NAMES[contact.channel] ?? contact.channel)}
        </Fact>
        <Fact label="Consent">
          <ConsentBadges consent={contact.consent} />
        </Fact>
      </SimpleGrid>
      <Records view={view} />
    </Card>
  );
}

function Records({ view }: { view: Patient360 }) {
  const duplicates = view.possibleDuplicates;
  return (
    <Group gap="xs" mt="md" wrap="wrap">
      <Text size="xs" c="dimmed">
        Records:
      </Text>
      {view.person.records.map(({ patient, source }) => (
        <Badge key={patient.id} variant="outline" color="gray" size="sm" tt="none">
          {mrnsOf(patient)[0]?.value ?? idOf(`Patient/${patient.id}`)} ·{' '}
          {sourceName(source) ?? 'unknown source'}
        </Badge>
      ))}
      {duplicates.length > 0 && (
        <Anchor component={Link} href={`/duplicates/${idOf(duplicates[0]!.task)}`} size="sm" c="red.9">
          <Group gap={4} component="span">
            <IconAlertTriangle size={14} aria-hidden />
            {duplicates.length === 1 ? 'A possible duplicate' : `${duplicates.length} possible duplicates`} to
            review
          </Group>
        </Anchor>
      )}
    </Group>
  );
}

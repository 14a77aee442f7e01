import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconChevronRight } from '@tabler/icons-react';
import { Link } from 'wouter';
import { ageOf, formatDate, mrnsOf, patientName, sourceName, telecomOf } from '../../shared/fhir/format.ts';
import type { PatientHit } from './use-patient-search.ts';

export function PatientHitRow({ hit, reviewTask }: { hit: PatientHit; reviewTask?: string }) {
  const { patient } = hit;
  const mrn = mrnsOf(patient)[0];
  const age = ageOf(patient.birthDate);
  return (
    <UnstyledButton className="hit-row" component={Link} href={`/patients/${patient.id}`} p="md">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="xs">
            <Text fw={600}>{patientName(patient)}</Text>
            {hit.fuzzy && (
              <Badge variant="light" color="gray" size="sm">
                similar name
              </Badge>
            )}
            {reviewTask && (
              <Badge
                variant="light"
                color="orange"
                size="sm"
                leftSection={<IconAlertTriangle size={12} aria-hidden />}
              >
                possible duplicate
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {[
              patient.gender,
              patient.birthDate &&
                `born ${formatDate(patient.birthDate)}${age !== undefined ? ` (${age})` : ''}`,
              telecomOf(patient, 'phone'),
              telecomOf(patient, 'email'),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
          <Text size="xs" c="dimmed">
            {mrn ? `MRN ${mrn.value}` : 'No MRN'} ·{' '}
            {mrn?.assigner ?? sourceName(patient.meta?.source) ?? 'unknown source'}
          </Text>
        </Stack>
        <IconChevronRight size={18} aria-hidden color="var(--mantine-color-gray-6)" />
      </Group>
    </UnstyledButton>
  );
}

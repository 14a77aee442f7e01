import { Table, Text } from '@mantine/core';
import {
  addressLine,
  formatDate,
  mrnsOf,
  patientName,
  sourceName,
  telecomOf,
} from '../../shared/fhir/format.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import type { ReviewItem } from './use-review.ts';

/** The fields compared, each record's value, and how identity judged them (evidence for or against). */
const ROWS: { field: string; label: string; value: (patient: Patient | undefined) => string | undefined }[] =
  [
    { field: 'given', label: 'Given name', value: (p) => p?.name?.[0]?.given?.join(' ') },
    { field: 'family', label: 'Family name', value: (p) => p?.name?.[0]?.family },
    {
      field: 'birthDate',
      label: 'Birth date',
      value: (p) => (p?.birthDate ? formatDate(p.birthDate) : undefined),
    },
    { field: 'gender', label: 'Sex', value: (p) => p?.gender },
    { field: 'phone', label: 'Phone', value: (p) => telecomOf(p, 'phone') },
    { field: 'email', label: 'Email', value: (p) => telecomOf(p, 'email') },
    { field: 'street', label: 'Street', value: (p) => p?.address?.[0]?.line?.join(', ') },
    { field: 'postcode', label: 'Postcode', value: (p) => p?.address?.[0]?.postalCode },
    { field: 'city', label: 'City', value: (p) => p?.address?.[0]?.city },
    {
      field: 'identifier',
      label: 'MRN',
      value: (p) =>
        mrnsOf(p)
          .map((m) => m.value)
          .join(', '),
    },
  ];

function Evidence({ weight, level }: { weight?: number; level?: string }) {
  if (weight === undefined)
    return (
      <Text size="xs" c="dimmed">
        not compared
      </Text>
    );
  const color = weight > 0.5 ? 'teal.9' : weight < -0.5 ? 'red.9' : 'gray.7';
  return (
    <Text size="xs" fw={600} c={color} style={{ whiteSpace: 'nowrap' }}>
      {level} ({weight > 0 ? '+' : ''}
      {weight.toFixed(1)})
    </Text>
  );
}

export function ComparePair({ item, pair }: { item: ReviewItem; pair: (Patient | undefined)[] }) {
  const [left, right] = pair;
  const byField = new Map(item.explanation.map((entry) => [entry.field, entry]));
  return (
    // Four columns do not fit a phone: the comparison scrolls sideways in a focusable region.
    <div className="tl-scroll-x" tabIndex={0} role="region" aria-label="Comparison (scrolls sideways)">
      <Table
        withColumnBorders
        verticalSpacing="xs"
        aria-label="The two records side by side"
        data-testid="compare"
        miw={600}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            {[left, right].map((patient, index) => (
              <Table.Th key={index}>
                {patientName(patient)}
                <Text size="xs" c="dimmed" fw={400}>
                  {sourceName(patient?.meta?.source) ?? 'unknown source'} ·{' '}
                  {addressLine(patient?.address?.[0]) ? 'has address' : 'no address'}
                </Text>
              </Table.Th>
            ))}
            <Table.Th>Evidence</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ROWS.map((row) => (
            <Table.Tr key={row.field}>
              <Table.Td fw={600} fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {row.label}
              </Table.Td>
              <Table.Td fz="sm">{row.value(left) ?? '—'}</Table.Td>
              <Table.Td fz="sm">{row.value(right) ?? '—'}</Table.Td>
              <Table.Td>
                <Evidence weight={byField.get(row.field)?.weight} level={byField.get(row.field)?.level} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

import { Badge, Card, Loader, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { formatDate } from '../../shared/fhir/format.ts';
import { isAbnormal, labValues, rangeText, type LabValue } from './lab-values.ts';
import type { Patient360 } from './view-types.ts';

const LabTrendChart = lazy(() => import('./LabTrendChart.tsx'));

function ValueCell({ value }: { value: LabValue }) {
  const shown = value.value !== undefined ? `${value.value} ${value.unit ?? ''}` : (value.text ?? '—');
  return (
    <Table.Td>
      <Text span fw={isAbnormal(value.flag) ? 700 : 400} c={isAbnormal(value.flag) ? 'red.9' : undefined}>
        {shown}
      </Text>
      {isAbnormal(value.flag) && (
        <Badge ml={6} color="red" variant="light" size="xs">
          {value.flag}
        </Badge>
      )}
    </Table.Td>
  );
}

/** Lab results with reference ranges, and a trend chart for each test measured more than once. */
export function LabsSection({ view }: { view: Patient360 }) {
  const values = labValues(view.sections.labs);
  if (values.length === 0) return null;
  const latestByCode = new Map(values.map((value) => [value.code, value] as const).reverse());
  return (
    <Card component="section" aria-labelledby="labs-title" data-testid="labs-section">
      <Title order={2} size="h4" id="labs-title" mb="sm">
        Labs
      </Title>
      {view.labTrends.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
          {view.labTrends.map((trend) => (
            <Suspense key={trend.code} fallback={<Loader size="sm" aria-label="Loading chart" />}>
              <LabTrendChart
                trend={trend}
                low={latestByCode.get(trend.code)?.low}
                high={latestByCode.get(trend.code)?.high}
              />
            </Suspense>
          ))}
        </SimpleGrid>
      )}
      <Table striped verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Test</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th>Reference range</Table.Th>
            <Table.Th>Date</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {values.slice(0, 12).map((value) => (
            <Table.Tr key={value.reference}>
              <Table.Td>{value.test}</Table.Td>
              <ValueCell value={value} />
              <Table.Td c="dimmed">{rangeText(value)}</Table.Td>
              <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatDate(value.date)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {values.length > 12 && (
        <Text size="xs" c="dimmed" mt="xs">
          {values.length - 12} older results in the timeline.
        </Text>
      )}
    </Card>
  );
}

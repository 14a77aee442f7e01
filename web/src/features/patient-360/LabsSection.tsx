import { Badge, Box, Card, Loader, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useInViewport } from '@mantine/hooks';
import { lazy, Suspense, useState } from 'react';
import { formatDate } from '../../shared/fhir/format.ts';
import { plainUnit } from '../../shared/fhir/units.ts';
import { isAbnormal, labValues, rangeText, type LabValue } from './lab-values.ts';
import type { Patient360 } from './view-types.ts';

const LabTrendChart = lazy(() => import('./LabTrendChart.tsx'));

function ValueCell({ value }: { value: LabValue }) {
  const shown = value.value !== undefined ? `${value.value} ${plainUnit(value.unit)}` : (value.text ?? '—');
  return (
    <Table.Td>
      <Text
        span
        size="sm"
        fw={isAbnormal(value.flag) ? 700 : 400}
        c={isAbnormal(value.flag) ? 'red.9' : undefined}
      >
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

/**
 * The trend charts, loaded when they scroll into view: the chart library is half the app's
 * JavaScript, and a page whose labs are below the fold should not wait for it. The boxes keep
 * their height meanwhile, so nothing shifts when the charts arrive.
 */
function Trends({ view, latest }: { view: Patient360; latest: Map<string | undefined, LabValue> }) {
  const { ref, inViewport } = useInViewport();
  const [seen, setSeen] = useState(false);
  // Once seen, kept: scrolling away does not unload the charts.
  if (inViewport && !seen) setSeen(true);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} mb="md" ref={ref}>
      {view.labTrends.map((trend) => (
        <Box key={trend.code} h={190}>
          {seen && (
            <Suspense fallback={<Loader size="sm" aria-label="Loading chart" />}>
              <LabTrendChart
                trend={trend}
                low={latest.get(trend.code)?.low}
                high={latest.get(trend.code)?.high}
              />
            </Suspense>
          )}
        </Box>
      ))}
    </SimpleGrid>
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
      {view.labTrends.length > 0 && <Trends view={view} latest={latestByCode} />}
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
              {/* May wrap: at phone width four columns only fit when the date breaks. */}
              <Table.Td c="dimmed">{formatDate(value.date)}</Table.Td>
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

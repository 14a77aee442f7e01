import { LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Stack, Text } from '@mantine/core';
import { formatDate } from '../../shared/fhir/format.ts';
import { plainUnit } from '../../shared/fhir/units.ts';
import { testName } from './lab-values.ts';
import type { LabTrend } from './view-types.ts';

/** One test over time, with its reference range as dashed lines (loaded on demand: charts are big). */
export default function LabTrendChart({
  trend,
  low,
  high,
}: {
  trend: LabTrend;
  low?: number;
  high?: number;
}) {
  const name = testName(trend.code, trend.display);
  const unit = plainUnit(trend.points.find((point) => point.unit)?.unit);
  const data = trend.points.map((point) => ({ date: formatDate(point.date), value: point.value }));
  const references = [
    ...(low !== undefined ? [{ y: low, label: `low ${low}`, color: 'gray.6' }] : []),
    ...(high !== undefined ? [{ y: high, label: `high ${high}`, color: 'red.6' }] : []),
  ];
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {trend.display}{' '}
        {unit && (
          <Text span c="dimmed" size="xs">
            ({unit})
          </Text>
        )}
      </Text>
      <LineChart
        h={160}
        data={data}
        dataKey="date"
        series={[{ name: 'value', label: name, color: 'teal.7' }]}
        referenceLines={references}
        withLegend={false}
        curveType="linear"
        yAxisProps={{ domain: ['auto', 'auto'], width: 48 }}
        aria-label={`${name} trend`}
      />
    </Stack>
  );
}

import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { formatDate } from '../../shared/fhir/format.ts';
import { CorrectThisLink } from '../../shared/ui/CorrectThisLink.tsx';
import type { ResultPoint, TestSeries } from './results.ts';
import { TrendLine } from './TrendLine.tsx';

const FLAGS: Record<NonNullable<ResultPoint['flag']>, { label: string; color: string }> = {
  H: { label: 'Above range', color: 'orange' },
  L: { label: 'Below range', color: 'orange' },
  A: { label: 'Outside range', color: 'orange' },
  N: { label: 'In range', color: 'green' },
};

function Flag({ flag }: { flag: ResultPoint['flag'] }) {
  if (!flag) return null;
  const { label, color } = FLAGS[flag];
  return (
    <Badge color={color} variant="light">
      {label}
    </Badge>
  );
}

/** The earlier values, oldest to newest left to right, as a line and as words. */
function Trend({ series }: { series: TestSeries }) {
  const numbers = series.points.flatMap((p) => (p.value === undefined ? [] : [p.value])).reverse();
  const earlier = series.points.slice(1, 6);
  if (earlier.length === 0) return null;
  return (
    <Stack gap={4}>
      {numbers.length >= 2 && <TrendLine values={numbers} />}
      <Text size="sm" c="dimmed">
        Earlier: {earlier.map((p) => `${p.text} (${formatDate(p.date)})`).join(' · ')}
      </Text>
    </Stack>
  );
}

/** One test: its latest value, whether it is in the reference range, what the test is, the trend. */
export function ResultCard({ series }: { series: TestSeries }) {
  const latest = series.points[0]!;
  return (
    <Card padding="md" component="article" aria-label={series.name}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Text fw={650}>{series.name}</Text>
            <Text size="sm" c="dimmed">
              {formatDate(latest.date)}
            </Text>
          </div>
          <Stack gap={4} align="flex-end">
            <Text fw={700} size="lg">
              {latest.text}
            </Text>
            <Flag flag={latest.flag} />
          </Stack>
        </Group>
        {series.range && <Text size="sm">Reference range: {series.range}</Text>}
        {series.explanation && (
          <Text size="sm" c="dimmed">
            {series.explanation}
          </Text>
        )}
        <Trend series={series} />
        <Group justify="flex-end">
          <CorrectThisLink
            focus={latest.reference}
            what={`${series.name} result of ${formatDate(latest.date)}`}
          />
        </Group>
      </Stack>
    </Card>
  );
}

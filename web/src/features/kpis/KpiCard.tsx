import { Card, Group, Stack, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { groupName } from './group-names.ts';
import { KpiPatients } from './KpiPatients.tsx';
import { bucketLabel, formatFigure, meanScore, useJourneyChoices, type Kpi } from './use-kpis.ts';

/**
 * The trend; a click on a bar opens that period's patients. Hidden from assistive technology
 * and out of the tab order (twelve stops per card): the figure's button opens the same list,
 * where the period is chosen.
 */
function Bars({ kpi, onBucket }: { kpi: Kpi; onBucket: (key: string) => void }) {
  const values = kpi.buckets.map((bucket) => bucket.value ?? 0);
  const top = Math.max(...values, kpi.kind === 'rate' ? 0.01 : 1);
  return (
    <Group gap={3} align="flex-end" h={56} wrap="nowrap" aria-hidden>
      {kpi.buckets.map((bucket) => (
        <Tooltip
          key={bucket.bucket}
          label={`${bucketLabel(bucket.bucket)}: ${formatFigure(kpi.kind, bucket.value)}`}
        >
          <div
            className="kpi-bar"
            onClick={() => onBucket(bucket.bucket)}
            style={{ height: `${Math.max(4, ((bucket.value ?? 0) / top) * 100)}%` }}
          />
        </Tooltip>
      ))}
    </Group>
  );
}

/**
 * A breakdown worth reading on the card (by journey stage, by service): each group's latest
 * figure, a stage by its name in the journey catalog (the filters' query, already loaded).
 */
function Breakdown({ kpi, bucket }: { kpi: Kpi; bucket: Kpi['buckets'][number] | undefined }) {
  const journeys = useJourneyChoices();
  if (!/-by-(stage|touchpoint)$/.test(kpi.id) || !bucket?.groups) return null;
  return (
    <Stack gap={0} data-testid="kpi-groups">
      {Object.entries(bucket.groups).map(([group, figure]) => (
        <Text key={group} size="xs">
          {groupName(kpi.id, group, journeys.data)}: <b>{formatFigure(kpi.kind, figure.value)}</b>
          {figure.denominator !== null ? ` (${figure.numerator} of ${figure.denominator})` : ''}
        </Text>
      ))}
    </Stack>
  );
}

/** One KPI: the latest period's figure, the one before, and the trend as bars. */
export function KpiCard({ kpi }: { kpi: Kpi }) {
  const latest = kpi.buckets.at(-1);
  const before = kpi.buckets.at(-2);
  const basis =
    latest && kpi.kind === 'rate' && latest.denominator !== null
      ? `${latest.numerator} of ${latest.denominator}`
      : latest && kpi.kind === 'median'
        ? `${latest.numerator} measured`
        : undefined;
  const mean = meanScore(kpi, latest);
  const [drill, setDrill] = useState<string | undefined>();
  return (
    <Card component="section" aria-labelledby={`kpi-${kpi.id}`} data-testid="kpi">
      <Stack gap={6}>
        <Title order={2} size="h5" id={`kpi-${kpi.id}`}>
          {kpi.title}
        </Title>
        <Group justify="space-between" align="flex-end" wrap="nowrap">
          <Stack gap={0}>
            <UnstyledButton
              className="kpi-figure"
              disabled={!latest?.patients}
              onClick={() => setDrill(latest?.bucket)}
              aria-label={`${kpi.title}: ${formatFigure(kpi.kind, latest?.value)}, show the patients`}
            >
              <Text fz={28} fw={700} lh={1.1} data-testid="kpi-value">
                {formatFigure(kpi.kind, latest?.value)}
              </Text>
            </UnstyledButton>
            <Text size="xs" c="dimmed">
              {bucketLabel(latest?.bucket)}
              {basis ? ` · ${basis}` : ''}
            </Text>
            {mean !== undefined && (
              <Text size="xs" c="dimmed" data-testid="kpi-mean">
                mean score {mean.toFixed(1)} of 5
              </Text>
            )}
            {before && (
              <Text size="xs" c="dimmed">
                before: {formatFigure(kpi.kind, before.value)} ({bucketLabel(before.bucket)})
              </Text>
            )}
          </Stack>
        </Group>
        <Breakdown kpi={kpi} bucket={latest} />
        <Bars kpi={kpi} onBucket={setDrill} />
      </Stack>
      <KpiPatients kpi={kpi} bucket={drill} onBucket={setDrill} />
    </Card>
  );
}

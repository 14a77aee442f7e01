import { SegmentedControl, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { KpiCard } from './KpiCard.tsx';
import { KpiFilters } from './KpiFilters.tsx';
import './kpis.css';
import { dayLabel, useKpis, type KpiFilter, type Period } from './use-kpis.ts';

/** The practice manager's dashboard: each KPI's latest figure and its trend, by month or week. */
export default function KpisPage() {
  const [period, setPeriod] = useState<Period>('month');
  const [filter, setFilter] = useState<KpiFilter>({});
  const kpis = useKpis(period, filter);
  return (
    <>
      <PageHeader
        title="KPIs"
        description="How the practice is doing, from every record (the same figures whoever asks)."
        actions={
          <SegmentedControl
            aria-label="Period"
            value={period}
            onChange={(value) => setPeriod(value as Period)}
            data={[
              { value: 'month', label: 'By month' },
              { value: 'week', label: 'By week' },
            ]}
          />
        }
      />
      <KpiFilters value={filter} onChange={setFilter} />
      <QueryState query={kpis} height={420} isEmpty={(data) => data.kpis.length === 0} empty="No KPIs yet.">
        {(data) => (
          <>
            <Text size="xs" c="dimmed" mb="sm">
              {dayLabel(data.from)} to {dayLabel(data.to)}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
              {data.kpis.map((kpi) => (
                <KpiCard key={kpi.id} kpi={kpi} />
              ))}
            </SimpleGrid>
          </>
        )}
      </QueryState>
    </>
  );
}

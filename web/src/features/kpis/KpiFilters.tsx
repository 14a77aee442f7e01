import { Group, Select } from '@mantine/core';
import { useCohortChoices, useJourneyChoices, type KpiFilter } from './use-kpis.ts';

/**
 * Who the figures are about: a journey and a stage of it (the patient's stage when it happened),
 * and a cohort (a saved Group). The server reads the Group as the caller.
 */
export function KpiFilters({ value, onChange }: { value: KpiFilter; onChange: (value: KpiFilter) => void }) {
  const journeys = useJourneyChoices();
  const cohorts = useCohortChoices();
  const journey = journeys.data?.find((each) => each.id === value.journey);
  return (
    <Group align="flex-end" mb="sm" wrap="wrap">
      <Select
        label="Journey"
        placeholder="Any journey"
        clearable
        w={220}
        data={(journeys.data ?? []).map((each) => ({ value: each.id, label: each.title }))}
        value={value.journey ?? null}
        onChange={(id) => onChange({ ...value, journey: id ?? undefined, stage: undefined })}
      />
      <Select
        label="Stage"
        placeholder="Any stage"
        clearable
        w={240}
        disabled={!journey}
        data={(journey?.stages ?? []).map((stage) => ({ value: stage.code, label: stage.display }))}
        value={value.stage ?? null}
        onChange={(stage) => onChange({ ...value, stage: stage ?? undefined })}
      />
      <Select
        label="Cohort"
        placeholder="Every patient"
        clearable
        searchable
        w={220}
        data={cohorts.data ?? []}
        value={value.cohort ?? null}
        onChange={(cohort) => onChange({ ...value, cohort: cohort ?? undefined })}
      />
    </Group>
  );
}

import { Group, Select } from '@mantine/core';
import { channelChoices, useDirectoryChoices } from './use-kpi-choices.ts';
import { useCohortChoices, useJourneyChoices, type KpiFilter } from './use-kpis.ts';

/** Full width on a phone, side by side from a tablet up. */
const width = { base: '100%', xs: 200 };

/**
 * Where and how the figures are about (a location, a practitioner, an outreach channel) and who:
 * a journey and a stage of it (the patient's stage when it happened), a cohort (a saved Group,
 * which the server reads as the caller). A KPI a filter does not apply to is left out by the API.
 */
export function KpiFilters({ value, onChange }: { value: KpiFilter; onChange: (value: KpiFilter) => void }) {
  const locations = useDirectoryChoices('Location');
  const practitioners = useDirectoryChoices('Practitioner');
  const set = (name: keyof KpiFilter) => (chosen: string | null) =>
    onChange({ ...value, [name]: chosen ?? undefined });
  return (
    <Group align="flex-end" mb="sm" wrap="wrap" gap="sm">
      <Select
        label="Location"
        placeholder="Every location"
        clearable
        searchable
        w={width}
        data={locations.data ?? []}
        value={value.location ?? null}
        onChange={set('location')}
      />
      <Select
        label="Practitioner"
        placeholder="Every practitioner"
        clearable
        searchable
        w={width}
        data={practitioners.data ?? []}
        value={value.practitioner ?? null}
        onChange={set('practitioner')}
      />
      <Select
        label="Channel"
        placeholder="Every channel"
        clearable
        w={width}
        data={channelChoices}
        value={value.channel ?? null}
        onChange={set('channel')}
      />
      <JourneyFilters value={value} onChange={onChange} />
    </Group>
  );
}

function JourneyFilters({ value, onChange }: { value: KpiFilter; onChange: (value: KpiFilter) => void }) {
  const journeys = useJourneyChoices();
  const cohorts = useCohortChoices();
  const journey = journeys.data?.find((each) => each.id === value.journey);
  return (
    <>
      <Select
        label="Journey"
        placeholder="Any journey"
        clearable
        w={width}
        data={(journeys.data ?? []).map((each) => ({ value: each.id, label: each.title }))}
        value={value.journey ?? null}
        onChange={(id) => onChange({ ...value, journey: id ?? undefined, stage: undefined })}
      />
      <Select
        label="Stage"
        placeholder="Any stage"
        clearable
        w={{ base: '100%', xs: 240 }}
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
        w={width}
        data={cohorts.data ?? []}
        value={value.cohort ?? null}
        onChange={(cohort) => onChange({ ...value, cohort: cohort ?? undefined })}
      />
    </>
  );
}

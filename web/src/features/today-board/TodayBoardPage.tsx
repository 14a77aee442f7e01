import { Badge, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { mayInteract, useMe } from '../../shared/api/use-me.ts';
import { patientName } from '../../shared/fhir/format.ts';
import type { Patient, Resource } from '../../shared/fhir/types.ts';
import { displayName, useReferenced } from '../../shared/fhir/use-names.ts';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { stateLabel, TodayRow } from './TodayRow.tsx';
import { REFRESH_MS, useToday, type TodayItem } from './use-today.ts';

const ALL = '';
const NO_LOCATION = '-';
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });

/** Name lookups for the references on the board, with a readable fallback while they load. */
function useBoardNames(items: TodayItem[]) {
  const patients = useReferenced<Patient>(
    'Patient',
    items.map((item) => item.patient),
  );
  const practitioners = useReferenced<Resource>(
    'Practitioner',
    items.flatMap((item) => item.practitioners),
  );
  const locations = useReferenced<Resource>(
    'Location',
    items.map((item) => item.location),
  );
  return {
    patient: (ref?: string) =>
      ref && patients.data?.get(ref) ? patientName(patients.data.get(ref)) : 'Patient',
    practitioner: (ref?: string) => (ref ? displayName(practitioners.data?.get(ref)) : undefined),
    location: (ref?: string) =>
      ref === undefined || ref === NO_LOCATION
        ? 'Clinic'
        : (displayName(locations.data?.get(ref)) ?? 'Location'),
  };
}

type Names = ReturnType<typeof useBoardNames>;

function Filters(props: {
  items: TodayItem[];
  names: Names;
  location: string;
  practitioner: string;
  onChange: (next: { location?: string; practitioner?: string }) => void;
}) {
  const { items, names } = props;
  const locations = [...new Set(items.map((item) => item.location ?? NO_LOCATION))];
  const practitioners = [...new Set(items.flatMap((item) => item.practitioners))];
  const options = (refs: string[], label: (ref: string) => string | undefined, all: string) => [
    { value: ALL, label: all },
    ...refs
      .map((ref) => ({ value: ref, label: label(ref) ?? ref }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  ];
  return (
    <Group gap="sm" wrap="wrap" align="flex-end">
      <NativeSelect
        label="Location"
        value={props.location}
        data={options(locations, names.location, 'All locations')}
        onChange={(event) => props.onChange({ location: event.currentTarget.value })}
      />
      <NativeSelect
        label="Practitioner"
        value={props.practitioner}
        data={options(practitioners, names.practitioner, 'All practitioners')}
        onChange={(event) => props.onChange({ practitioner: event.currentTarget.value })}
      />
    </Group>
  );
}

function Counts({ items }: { items: TodayItem[] }) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  return (
    <Group gap={6} wrap="wrap" data-testid="today-counts">
      {[...counts].map(([state, count]) => (
        <Badge key={state} variant="default" size="lg">
          {stateLabel(state)}: {count}
        </Badge>
      ))}
    </Group>
  );
}

function Board({ items, canAct }: { items: TodayItem[]; canAct: boolean }) {
  const names = useBoardNames(items);
  const [filter, setFilter] = useState({ location: ALL, practitioner: ALL });
  const shown = items.filter(
    (item) =>
      (filter.location === ALL || (item.location ?? NO_LOCATION) === filter.location) &&
      (filter.practitioner === ALL || item.practitioners.includes(filter.practitioner)),
  );
  const groups = [...new Set(shown.map((item) => item.location ?? NO_LOCATION))];
  return (
    <Stack gap="md">
      <Filters
        items={items}
        names={names}
        {...filter}
        onChange={(next) => setFilter({ ...filter, ...next })}
      />
      <Counts items={shown} />
      {shown.length === 0 && <Text c="dimmed">No appointments match these filters.</Text>}
      {groups.map((group) => (
        <Stack key={group} gap="xs" component="section" aria-label={names.location(group)}>
          <Title order={2} size="h4">
            {names.location(group)}
          </Title>
          {shown
            .filter((item) => (item.location ?? NO_LOCATION) === group)
            .map((item) => (
              <TodayRow
                key={item.appointment}
                item={item}
                canAct={canAct}
                names={{
                  patient: names.patient(item.patient),
                  practitioner: names.practitioner(item.practitioners[0]),
                }}
              />
            ))}
        </Stack>
      ))}
    </Stack>
  );
}

/** The front desk's day: today's appointments per location, live, with check-in and no-show. */
export default function TodayBoardPage() {
  const today = useToday();
  const me = useMe();
  return (
    <>
      <PageHeader
        title="Today"
        description={`${dayFormat.format(new Date())} · refreshes every ${REFRESH_MS / 1000} s`}
      />
      <QueryState
        query={today}
        height={360}
        isEmpty={(data) => data.items.length === 0}
        empty="No appointments today."
      >
        {(data) => (
          <Board
            items={data.items}
            canAct={mayInteract(me.data, 'Appointment', 'u') && mayInteract(me.data, 'Encounter', 'c')}
          />
        )}
      </QueryState>
    </>
  );
}

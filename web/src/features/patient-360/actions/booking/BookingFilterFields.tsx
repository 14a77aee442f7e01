import { Grid, NativeSelect, TextInput } from '@mantine/core';
import { localDay } from './free-time-days.ts';
import type { BookingActor, BookingFilters, VisitType } from './use-booking.ts';

/** The chosen visit type's practitioners or locations, else every visit type's, each once, by name. */
function actorsOf(
  visitTypes: VisitType[],
  code: string,
  kind: 'practitioners' | 'locations',
): BookingActor[] {
  const offering = visitTypes.filter((each) => !code || each.code === code);
  const byReference = new Map(
    offering.flatMap((each) => each[kind]).map((actor) => [actor.reference, actor]),
  );
  return [...byReference.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const optionsOf = (any: string, actors: BookingActor[]) => [
  { value: '', label: any },
  ...actors.map((actor) => ({ value: actor.reference, label: actor.name })),
];

/**
 * A new visit type keeps the practitioner and location only where it is offered with them, so
 * a filter never quietly asks for a combination no Schedule has.
 */
export function withVisitType(
  filters: BookingFilters,
  visitTypes: VisitType[],
  code: string,
): BookingFilters {
  const offered = (kind: 'practitioners' | 'locations', reference: string) =>
    actorsOf(visitTypes, code, kind).some((actor) => actor.reference === reference) ? reference : '';
  return {
    ...filters,
    visitType: code,
    practitioner: offered('practitioners', filters.practitioner),
    location: offered('locations', filters.location),
  };
}

/** Visit type (which sets the length and who gives it), practitioner, location and first day. */
export function BookingFilterFields(props: {
  visitTypes: VisitType[];
  value: BookingFilters;
  onChange: (next: BookingFilters) => void;
}) {
  const { visitTypes, value, onChange } = props;
  const set = (change: Partial<BookingFilters>) => onChange({ ...value, ...change });
  const types = [
    { value: '', label: 'Any visit type' },
    ...visitTypes.map((each) => ({ value: each.code, label: `${each.display} · ${each.minutes} min` })),
  ];
  return (
    <Grid columns={24} gap="xs" data-testid="booking-filters">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <NativeSelect
          label="Visit type"
          data={types}
          value={value.visitType}
          onChange={(e) => onChange(withVisitType(value, visitTypes, e.currentTarget.value))}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <NativeSelect
          label="Practitioner"
          data={optionsOf('Any practitioner', actorsOf(visitTypes, value.visitType, 'practitioners'))}
          value={value.practitioner}
          onChange={(e) => set({ practitioner: e.currentTarget.value })}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <NativeSelect
          label="Location"
          data={optionsOf('Any location', actorsOf(visitTypes, value.visitType, 'locations'))}
          value={value.location}
          onChange={(e) => set({ location: e.currentTarget.value })}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <TextInput
          type="date"
          label="From"
          value={value.from}
          min={localDay(new Date())}
          onChange={(e) => set({ from: e.currentTarget.value })}
        />
      </Grid.Col>
    </Grid>
  );
}

import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ApiError } from '../../../shared/api/http.ts';
import { QueryState } from '../../../shared/ui/QueryState.tsx';
import { BookingFilterFields } from './booking/BookingFilterFields.tsx';
import { describeTime, FirstAvailable, FreeTimeDays, type TimeWords } from './booking/FreeTimeDays.tsx';
import { freeDays, keyOf, localDay, wholeDays } from './booking/free-time-days.ts';
import {
  FREE_TIMES_ASKED,
  useBook,
  useFreeTimes,
  useVisitTypes,
  type BookingFilters,
  type Proposal,
  type VisitType,
} from './booking/use-booking.ts';

/** What went wrong, in words: a taken time is the common case and says what to do. */
function bookingError(error: ApiError): string {
  if (error.status === 409)
    return 'Someone booked that time a moment ago. The list is updated: choose another time.';
  return error.message;
}

/** Names of every practitioner and location the visit types list, and the types by code. */
function wordsOf(visitTypes: VisitType[]): TimeWords {
  const actors = visitTypes.flatMap((each) => [...each.practitioners, ...each.locations]);
  return {
    names: new Map(actors.map((actor) => [actor.reference, actor.name])),
    visitTypes: new Map(visitTypes.map((each) => [each.code, each])),
  };
}

const emptyText = (filters: BookingFilters) =>
  filters.practitioner || filters.location || filters.visitType
    ? 'No free time for these choices in the week from that day: try any practitioner or a later day.'
    : 'No free time in the week from that day: try a later day.';

/** The free times under the filters: the first available set apart, then each day's times. */
function Times(props: {
  times: Proposal[];
  filters: BookingFilters;
  words: TimeWords;
  chosen: string;
  onChoose: (key: string) => void;
  busy: boolean;
}) {
  const { times, filters, words, chosen, onChoose } = props;
  const days = freeDays(times, filters.practitioner === '');
  const first = times[0]!;
  return (
    <Stack gap="sm">
      <FirstAvailable
        time={first}
        words={words}
        chosen={chosen === keyOf(first)}
        onChoose={() => onChoose(keyOf(first))}
      />
      <FreeTimeDays days={days} words={words} chosen={chosen} onChoose={onChoose} busy={props.busy} />
    </Stack>
  );
}

/**
 * Book for this patient: narrow by visit type (its length, who gives it), practitioner
 * (any by default), location and first day; the week's free times `$find` offers come by day,
 * the first available set apart.
 */
export function BookAppointment({ patient, onDone }: { patient: string; onDone: (message: string) => void }) {
  const [filters, setFilters] = useState<BookingFilters>({
    visitType: '',
    practitioner: '',
    location: '',
    from: localDay(new Date()),
  });
  const [chosen, setChosen] = useState('');
  const visitTypes = useVisitTypes();
  const words = useMemo(() => wordsOf(visitTypes.data ?? []), [visitTypes.data]);
  const times = useFreeTimes(patient, filters);
  const shown = useMemo(() => wholeDays(times.data ?? [], FREE_TIMES_ASKED), [times.data]);
  const proposal = shown.find((time) => keyOf(time) === chosen);
  const filter = (next: BookingFilters) => {
    setFilters(next);
    setChosen('');
  };
  return (
    <Stack>
      <BookingFilterFields visitTypes={visitTypes.data ?? []} value={filters} onChange={filter} />
      <QueryState
        query={{ ...times, data: times.data && shown }}
        height={200}
        isEmpty={(data) => data.length === 0}
        empty={emptyText(filters)}
      >
        {(data) => (
          <Times
            times={data}
            filters={filters}
            words={words}
            chosen={chosen}
            onChoose={setChosen}
            busy={times.isPlaceholderData}
          />
        )}
      </QueryState>
      <BookFooter
        patient={patient}
        proposal={proposal}
        words={words}
        onDone={onDone}
        onRefused={() => setChosen('')}
      />
    </Stack>
  );
}

/** The chosen time in words, and the button that books it (or why it was not booked). */
function BookFooter(props: {
  patient: string;
  proposal: Proposal | undefined;
  words: TimeWords;
  onDone: (message: string) => void;
  onRefused: () => void;
}) {
  const { proposal, words } = props;
  const book = useBook(props.patient);
  const submit = () => {
    if (!proposal) return;
    book.mutate(proposal, {
      onSuccess: () => props.onDone(`Booked for ${describeTime(proposal, words)}.`),
      onError: props.onRefused,
    });
  };
  // Kept in view at the dialog's foot: a week of times is long, and the button is the point.
  return (
    <Paper
      pos="sticky"
      bottom={0}
      py="xs"
      radius={0}
      style={{ zIndex: 2, borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
      <Stack gap="xs">
        {book.error && (
          <Alert color="red" role="alert" title="Not booked">
            {bookingError(book.error as ApiError)}
          </Alert>
        )}
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm" c={proposal ? undefined : 'dimmed'} data-testid="chosen-time" style={{ flex: 1 }}>
            {proposal ? describeTime(proposal, words) : 'Choose a time to book it.'}
          </Text>
          <Button onClick={submit} disabled={!proposal} loading={book.isPending}>
            Book this time
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

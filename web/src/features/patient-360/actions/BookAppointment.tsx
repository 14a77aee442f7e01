import { Alert, Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../../shared/api/http.ts';
import { displayName, useReferenced } from '../../../shared/fhir/use-names.ts';
import type { Resource } from '../../../shared/fhir/types.ts';
import { QueryState } from '../../../shared/ui/QueryState.tsx';
import { useBook, useFreeTimes, type Proposal } from './use-actions.ts';

const slotFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const todayIso = () => new Date().toISOString().slice(0, 10);

function serviceOf(proposal: Proposal): string | undefined {
  const concept = proposal.serviceType?.[0];
  return concept?.text ?? concept?.coding?.[0]?.display;
}

function practitionerOf(proposal: Proposal): string | undefined {
  return proposal.participant.find((p) => p.actor?.reference?.startsWith('Practitioner/'))?.actor?.reference;
}

/** What went wrong, in words: a taken time is the common case and says what to do. */
function bookingError(error: ApiError): string {
  if (error.status === 409)
    return 'Someone booked that time a moment ago. The list is updated: choose another time.';
  return error.message;
}

function Times({
  times,
  value,
  onChange,
}: {
  times: Proposal[];
  value: string;
  onChange: (v: string) => void;
}) {
  const people = useReferenced<Resource>('Practitioner', times.map(practitionerOf));
  return (
    <Radio.Group value={value} onChange={onChange} label="Free times" name="free-time">
      <Stack gap={6} mt="xs" data-testid="free-times">
        {times.map((time, index) => (
          <Radio
            key={`${time.start}-${practitionerOf(time)}`}
            value={String(index)}
            label={`${slotFormat.format(new Date(time.start!))} · ${
              displayName(people.data?.get(practitionerOf(time) ?? '')) ?? 'Clinician'
            }${serviceOf(time) ? ` · ${serviceOf(time)}` : ''}`}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}

/** Book from the free times `$find` offers for this patient, from a chosen day on. */
export function BookAppointment({ patient, onDone }: { patient: string; onDone: (message: string) => void }) {
  const [from, setFrom] = useState(todayIso());
  const [chosen, setChosen] = useState('');
  const times = useFreeTimes(patient, from ? new Date(`${from}T00:00:00`).toISOString() : undefined);
  const book = useBook(patient);
  const proposal = times.data?.[Number(chosen)];
  const submit = () => {
    if (!proposal) return;
    book.mutate(proposal, {
      onSuccess: () => onDone(`Booked for ${slotFormat.format(new Date(proposal.start!))}.`),
      onError: () => setChosen(''),
    });
  };
  return (
    <Stack>
      <TextInput
        type="date"
        label="From"
        value={from}
        min={todayIso()}
        onChange={(e) => setFrom(e.currentTarget.value)}
      />
      <QueryState
        query={times}
        height={200}
        isEmpty={(data) => data.length === 0}
        empty="No free time in the next week from that day."
      >
        {(data) => <Times times={data} value={chosen} onChange={setChosen} />}
      </QueryState>
      {book.error && (
        <Alert color="red" role="alert" title="Not booked">
          {bookingError(book.error as ApiError)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={submit} disabled={!proposal} loading={book.isPending}>
          Book this time
        </Button>
      </Group>
      {!proposal && (
        <Text size="xs" c="dimmed">
          Choose a time to book it.
        </Text>
      )}
    </Stack>
  );
}

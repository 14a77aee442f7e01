import { Alert, Button, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { SERVICES, scheduleOf, type Appointment } from './model.ts';
import { useFreeTimes, useNames, type ChosenTime } from './use-appointments.ts';

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });

/** The local date `days` from today as `YYYY-MM-DD` (what a date input holds). */
function localDay(days: number): string {
  const date = new Date(Date.now() + days * 24 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

interface FindTimeProps {
  /** The service to start with (a reschedule keeps the appointment's own). */
  service?: string;
  action: string;
  busy: boolean;
  error?: Error | null;
  onChoose: (time: ChosenTime) => void;
}

function Times({
  free,
  chosen,
  onPick,
}: {
  free: Appointment[];
  chosen?: Appointment;
  onPick: (a: Appointment) => void;
}) {
  const names = useNames(free);
  return (
    <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" role="group" aria-label="Free times">
      {free.map((time) => {
        const who = time.participant?.find((p) => p.actor?.reference?.startsWith('Practitioner/'))?.actor
          ?.reference;
        return (
          <Button
            key={`${scheduleOf(time)}-${time.start}`}
            variant={time === chosen ? 'filled' : 'light'}
            onClick={() => onPick(time)}
            aria-pressed={time === chosen}
            h="auto"
            py={6}
          >
            <Stack gap={0} align="center">
              <span>{timeFormat.format(new Date(time.start!))}</span>
              <Text size="xs" inherit={false} c={time === chosen ? 'white' : undefined}>
                {(who && names.data?.get(who)) ?? ''}
              </Text>
            </Stack>
          </Button>
        );
      })}
    </SimpleGrid>
  );
}

/** Choose a service and a day, then one of the free times `$find` offers, then confirm. */
export function FindTime({ service: initial, action, busy, error, onChoose }: FindTimeProps) {
  const [service, setService] = useState(initial ?? SERVICES[0]!.value);
  const [day, setDay] = useState(localDay(1));
  const [chosen, setChosen] = useState<Appointment>();
  const free = useFreeTimes(service, day);
  return (
    <Stack gap="sm">
      <NativeSelect
        label="Type of visit"
        data={SERVICES}
        value={service}
        onChange={(e) => setService(e.currentTarget.value)}
      />
      <TextInput
        label="Day"
        type="date"
        value={day}
        min={localDay(0)}
        onChange={(e) => setDay(e.currentTarget.value)}
      />
      <QueryState
        query={free}
        isEmpty={(times) => times.length === 0}
        empty="No free times that day: try another day."
      >
        {(times) => <Times free={times} chosen={chosen} onPick={setChosen} />}
      </QueryState>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      <Button
        disabled={!chosen}
        loading={busy}
        onClick={() => chosen && onChoose({ schedule: scheduleOf(chosen)!, start: chosen.start! })}
      >
        {chosen
          ? `${action} ${dayFormat.format(new Date(chosen.start!))} at ${timeFormat.format(new Date(chosen.start!))}`
          : `Choose a time`}
      </Button>
    </Stack>
  );
}

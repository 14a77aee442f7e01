import {
  Alert,
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import {
  actorName,
  useWaitlist,
  useWaitlistChange,
  type WaitlistEntry,
  type WaitlistService,
} from './use-waitlist.ts';

const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const day = (iso?: string) => (iso ? dayFormat.format(new Date(iso)) : '…');
/** The window's end is the midnight after its last day: that last day is what she chose. */
const lastDay = (iso?: string) => (iso ? dayFormat.format(new Date(Date.parse(iso) - 1)) : '…');

/** The local date `days` from today as `YYYY-MM-DD` (what a date input holds). */
function localDay(days: number): string {
  const date = new Date(Date.now() + days * 24 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A time offered to her: take it before it lapses (the first to take it gets it). */
function Offer({ entry }: { entry: WaitlistEntry }) {
  const { take } = useWaitlistChange();
  const offer = entry.offer!;
  const when = `${day(offer.start)} at ${timeFormat.format(new Date(offer.start))}`;
  return (
    <Alert color="teal" title="A time came free for you">
      <Stack gap="xs">
        <Text size="sm">
          {when}. The offer stands until {timeFormat.format(new Date(offer.expires))}; others were offered it
          too, and the first to take it gets it.
        </Text>
        {take.error && (
          <Text size="sm" c="red.8" role="alert">
            {take.error.message}
          </Text>
        )}
        <Button size="sm" loading={take.isPending} onClick={() => take.mutate(entry.id)}>
          Take {when}
        </Button>
      </Stack>
    </Alert>
  );
}

function EntryCard({ entry, services }: { entry: WaitlistEntry; services: WaitlistService[] }) {
  const { leave } = useWaitlistChange();
  const service = services.find((s) => s.code === entry.serviceType)?.display ?? 'Appointment';
  const who = [actorName(services, entry.practitioner), actorName(services, entry.location)].filter(Boolean);
  return (
    <Card withBorder padding="sm" component="article" aria-label={`Waiting for ${service}`}>
      <Stack gap="xs">
        <Text fw={600}>{service}</Text>
        <Text size="sm">
          {day(entry.start)} – {lastDay(entry.end)}
          {who.length > 0 && ` · ${who.join(' · ')}`}
        </Text>
        {entry.offer && <Offer entry={entry} />}
        <Group justify="flex-end">
          <Button
            variant="default"
            size="xs"
            loading={leave.isPending}
            onClick={() => leave.mutate(entry.id)}
          >
            Leave the waiting list
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

interface Wish {
  serviceType: string;
  practitioner: string;
  location: string;
  from: string;
  to: string;
}

const anyOf = (list: { reference: string; name: string }[]) => [
  { value: '', label: 'Any' },
  ...list.map((each) => ({ value: each.reference, label: each.name })),
];

/** The window as instants: from the start of the first day to the end of the last, her time. */
function wishOf(wish: Wish) {
  const end = new Date(`${wish.to}T00:00:00`);
  end.setDate(end.getDate() + 1);
  return {
    serviceType: wish.serviceType,
    ...(wish.practitioner ? { practitioner: wish.practitioner } : {}),
    ...(wish.location ? { location: wish.location } : {}),
    start: new Date(`${wish.from}T00:00:00`).toISOString(),
    end: end.toISOString(),
  };
}

function WishFields({
  wish,
  services,
  set,
}: {
  wish: Wish;
  services: WaitlistService[];
  set: (w: Partial<Wish>) => void;
}) {
  const service = services.find((s) => s.code === wish.serviceType);
  return (
    <>
      <NativeSelect
        label="Type of visit"
        data={services.map((s) => ({ value: s.code, label: s.display }))}
        value={wish.serviceType}
        onChange={(e) => set({ serviceType: e.currentTarget.value, practitioner: '', location: '' })}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <NativeSelect
          label="With"
          data={anyOf(service?.practitioners ?? [])}
          value={wish.practitioner}
          onChange={(e) => set({ practitioner: e.currentTarget.value })}
        />
        <NativeSelect
          label="Where"
          data={anyOf(service?.locations ?? [])}
          value={wish.location}
          onChange={(e) => set({ location: e.currentTarget.value })}
        />
        <TextInput
          label="From"
          type="date"
          value={wish.from}
          min={localDay(0)}
          onChange={(e) => set({ from: e.currentTarget.value })}
        />
        <TextInput
          label="Until"
          type="date"
          value={wish.to}
          min={wish.from}
          onChange={(e) => set({ to: e.currentTarget.value })}
        />
      </SimpleGrid>
    </>
  );
}

function JoinForm({ services, onDone }: { services: WaitlistService[]; onDone: () => void }) {
  const { join } = useWaitlistChange();
  const [wish, setWish] = useState<Wish>({
    serviceType: services[0]?.code ?? '',
    practitioner: '',
    location: '',
    from: localDay(0),
    to: localDay(14),
  });
  return (
    <Card
      padding="md"
      component="form"
      aria-label="Join the waiting list"
      onSubmit={(e) => (e.preventDefault(), join.mutate(wishOf(wish), { onSuccess: onDone }))}
    >
      <Stack gap="sm">
        <WishFields wish={wish} services={services} set={(part) => setWish({ ...wish, ...part })} />
        {join.error && (
          <Alert color="red" role="alert">
            {join.error.message}
          </Alert>
        )}
        <Button type="submit" loading={join.isPending} disabled={!wish.serviceType}>
          Join the waiting list
        </Button>
      </Stack>
    </Card>
  );
}

/** Her waiting list: what she waits for, a time offered to her, and joining for an earlier time. */
export function Waitlist() {
  const query = useWaitlist();
  const [joining, setJoining] = useState(false);
  return (
    <Stack gap="sm" component="section" aria-label="Waiting list">
      <Title order={2} size="h4">
        Waiting list
      </Title>
      <Text size="sm" c="dimmed">
        When a time you would take comes free, we offer it to you here and by message.
      </Text>
      <QueryState query={query}>
        {({ entries, services }) => (
          <>
            {entries.map((entry) => (
              <EntryCard key={entry.id} entry={entry} services={services} />
            ))}
            {joining ? (
              <JoinForm services={services} onDone={() => setJoining(false)} />
            ) : (
              <Button variant="light" onClick={() => setJoining(true)}>
                Wait for an earlier time
              </Button>
            )}
          </>
        )}
      </QueryState>
    </Stack>
  );
}

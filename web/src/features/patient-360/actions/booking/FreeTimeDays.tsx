import { Badge, Button, Group, Paper, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { locationOf, practitionerOf, visitTypeOf, type FreeDay, type TimeOption } from './free-time-days.ts';
import type { Proposal, VisitType } from './use-booking.ts';

/** Names of the practitioners and places, and the visit types by code, to say what a time is. */
export interface TimeWords {
  names: Map<string, string>;
  visitTypes: Map<string, VisitType>;
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
/** Times of one visit type shown on a day before "more": a phone shows a screen of them. */
const FIRST_SHOWN = 12;

export const visitLabel = (words: TimeWords, code: string) => {
  const type = words.visitTypes.get(code);
  return type ? `${type.display} · ${type.minutes} min` : code;
};

/** "Tuesday 8 December, 09:00 with Amara Okoye · General Practice · 15 min · Riverside Surgery". */
export function describeTime(time: Proposal, words: TimeWords): string {
  const at = new Date(time.start!);
  const who = words.names.get(practitionerOf(time) ?? '');
  const where = words.names.get(locationOf(time) ?? '');
  return [
    `${dayFormat.format(at)}, ${timeFormat.format(at)}${who ? ` with ${who}` : ''}`,
    visitLabel(words, visitTypeOf(time)),
    ...(where ? [where] : []),
  ].join(' · ');
}

/** The earliest time under the filters, set apart: most callers take it. */
export function FirstAvailable(props: {
  time: Proposal;
  words: TimeWords;
  onChoose: () => void;
  chosen: boolean;
}) {
  return (
    <Paper withBorder p="sm" radius="md" bg="teal.0" style={{ borderColor: 'var(--mantine-color-teal-5)' }}>
      <Group justify="space-between" wrap="nowrap" gap="xs" data-testid="first-available">
        <Stack gap={4} style={{ flex: 1 }}>
          <Badge color="teal" variant="filled" size="sm">
            First available
          </Badge>
          <Text size="sm" fw={500}>
            {describeTime(props.time, props.words)}
          </Text>
        </Stack>
        <Button size="xs" color="teal" variant={props.chosen ? 'filled' : 'light'} onClick={props.onChoose}>
          {props.chosen ? 'Chosen' : 'Choose it'}
        </Button>
      </Group>
    </Paper>
  );
}

/** One time as a card: the time, and whose it is (with how many more are free then). */
function TimeCard(props: { option: TimeOption; words: TimeWords; checked: boolean; first: boolean }) {
  const { option, words, checked, first } = props;
  const name = words.names.get(practitionerOf(option.proposal) ?? '') ?? 'Clinician';
  const surname = name.split(' ').at(-1);
  const more = option.alsoFree > 0 ? ` +${option.alsoFree}` : '';
  const others = option.alsoFree > 0 ? ` (${option.alsoFree} more free then)` : '';
  return (
    <Radio.Card
      value={option.key}
      radius="md"
      p={6}
      aria-label={`${describeTime(option.proposal, words)}${others}`}
      data-first={first || undefined}
      style={{
        textAlign: 'center',
        background: checked
          ? 'var(--mantine-primary-color-filled)'
          : first
            ? 'var(--mantine-color-teal-0)'
            : undefined,
        color: checked ? 'var(--mantine-color-white)' : undefined,
        borderColor: first && !checked ? 'var(--mantine-color-teal-5)' : undefined,
      }}
    >
      <Text size="sm" fw={600} lh={1.3} c={checked ? 'white' : undefined}>
        {timeFormat.format(new Date(option.proposal.start!))}
      </Text>
      <Text size="xs" lh={1.3} c={checked ? 'white' : 'dimmed'} truncate>
        {surname}
        {more}
      </Text>
    </Radio.Card>
  );
}

interface DayProps {
  day: FreeDay;
  words: TimeWords;
  chosen: string;
  firstKey: string;
  /** Whether each visit type is named (any visit type: a day holds several). */
  namedVisits: boolean;
}

/** One day: its times by visit type, the first dozen of each shown until more are asked for. */
function Day({ day, words, chosen, firstKey, namedVisits }: DayProps) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const count = day.visits.reduce((sum, visit) => sum + visit.options.length, 0);
  return (
    <Stack gap={6} component="section" aria-label={dayFormat.format(new Date(`${day.day}T12:00:00`))}>
      <Text fw={600} size="sm">
        {dayFormat.format(new Date(`${day.day}T12:00:00`))}{' '}
        <Text span c="dimmed" size="xs">
          {count} {count === 1 ? 'time' : 'times'}
        </Text>
      </Text>
      {day.visits.map((visit) => {
        const all = open.has(visit.visitType);
        const shown = all ? visit.options : visit.options.slice(0, FIRST_SHOWN);
        return (
          <Stack key={visit.visitType} gap={4}>
            {namedVisits && (
              <Text size="xs" c="dimmed">
                {visitLabel(words, visit.visitType)}
              </Text>
            )}
            <SimpleGrid cols={{ base: 3, xs: 6, md: 8 }} spacing={6}>
              {shown.map((option) => (
                <TimeCard
                  key={option.key}
                  option={option}
                  words={words}
                  checked={option.key === chosen}
                  first={option.key === firstKey}
                />
              ))}
            </SimpleGrid>
            {!all && visit.options.length > FIRST_SHOWN && (
              <Button
                variant="subtle"
                size="compact-xs"
                style={{ alignSelf: 'flex-start' }}
                onClick={() => setOpen(new Set([...open, visit.visitType]))}
              >
                {visit.options.length - FIRST_SHOWN} more times
              </Button>
            )}
          </Stack>
        );
      })}
    </Stack>
  );
}

/** The free times by day, as one radio group; the first available is marked. */
export function FreeTimeDays(props: {
  days: FreeDay[];
  words: TimeWords;
  chosen: string;
  onChoose: (key: string) => void;
  busy: boolean;
}) {
  const { days, words, chosen } = props;
  const firstKey = days[0]?.visits[0]?.options[0]?.key ?? '';
  const namedVisits = days.some(
    (day) => day.visits.length > 1 || day.visits[0]?.visitType !== days[0]?.visits[0]?.visitType,
  );
  return (
    <Radio.Group value={chosen} onChange={props.onChoose} label="Free times" name="free-time">
      <Stack
        gap="md"
        mt="xs"
        data-testid="free-times"
        aria-busy={props.busy}
        style={{ opacity: props.busy ? 0.5 : 1, transition: 'opacity 150ms' }}
      >
        {days.map((day) => (
          <Day
            key={day.day}
            day={day}
            words={words}
            chosen={chosen}
            firstKey={firstKey}
            namedVisits={namedVisits}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}

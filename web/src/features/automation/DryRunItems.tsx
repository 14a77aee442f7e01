import { Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { noteWords, stoppedWords } from './dry-run-words.ts';
import type { PlanExpression } from './plan-facts.ts';
import { Fact, PatientLink, TechnicalDetail } from './parts.tsx';
import { plannedWords } from './step-words.ts';
import { eventWords } from './trigger-words.ts';
import type { DryRunAction, DryRunItem } from './use-automation.ts';

/** How many items of each list the page shows (the report may hold thousands). */
const SHOWN = 20;

/** 259,200,000 ms → "3 days": a wait as the rule's author would say it. */
function waitWords(ms: number | undefined): string | undefined {
  if (!ms) return undefined;
  const [size, one] =
    ms % 86_400_000 === 0
      ? [86_400_000, 'day']
      : ms % 3_600_000 === 0
        ? [3_600_000, 'hour']
        : [60_000, 'minute'];
  const count = Math.round(ms / (size as number));
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

function ActionLine({ action }: { action: DryRunAction }) {
  const wait = waitWords(action.waitMs);
  const note = noteWords(action);
  const words = plannedWords({
    type: action.type,
    title: action.title,
    values: action.values,
    ...(wait ? { wait } : {}),
  });
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm">{note.words ? `${words} (${note.words})` : words}</Text>
      {note.badge && (
        <Badge color={note.badge.color} variant="light" tt="none" className="tl-badge-wrap">
          {note.badge.words}
        </Badge>
      )}
    </Group>
  );
}

function ItemDetail({ item }: { item: DryRunItem }) {
  return (
    <TechnicalDetail>
      <Fact name="Trigger">{item.event}</Fact>
      {item.patient && <Fact name="Patient">{item.patient}</Fact>}
      {item.stoppedBy && <Fact name="Stopped by">{item.stoppedBy}</Fact>}
      {item.actions.map((action) => (
        <Fact key={`${action.index}-${action.step ?? ''}`} name="Step">
          {`${action.index + 1}. ${action.type}${action.step ? ` [step ${action.step}]` : ''} ${JSON.stringify(action.values)}${action.note ? ` — ${action.note}` : ''}${action.after ? ` (after ${action.after})` : ''}`}
        </Fact>
      ))}
    </TechnicalDetail>
  );
}

function ItemLine({ item, conditions }: { item: DryRunItem; conditions: PlanExpression[] }) {
  return (
    <List.Item>
      <Stack gap={2}>
        <Group gap="xs" wrap="wrap">
          <PatientLink reference={item.patient} name={item.patientName} />
          <Text size="xs" c="dimmed">
            {eventWords(item.event)}
          </Text>
        </Group>
        {item.stoppedBy ? (
          <Text size="sm">{stoppedWords(item.stoppedBy, conditions)}</Text>
        ) : (
          item.actions.map((action) => (
            <ActionLine key={`${action.index}-${action.step ?? ''}`} action={action} />
          ))
        )}
        <ItemDetail item={item} />
      </Stack>
    </List.Item>
  );
}

/** The first items of one list (would act, or stopped), each for whom and what, in words. */
export function ItemList({
  title,
  items,
  conditions,
}: {
  title: 'Would act' | 'Stopped';
  items: DryRunItem[];
  conditions: PlanExpression[];
}) {
  if (items.length === 0) return null;
  return (
    <Stack gap={4}>
      <Title order={4} size="h6">{`${title} (${items.length})`}</Title>
      <List
        spacing="xs"
        listStyleType="none"
        withPadding={false}
        data-testid={`dry-run-${title === 'Would act' ? 'would-act' : 'stopped'}`}
      >
        {items.slice(0, SHOWN).map((item) => (
          <ItemLine key={item.event} item={item} conditions={conditions} />
        ))}
      </List>
      {items.length > SHOWN && <Text size="xs" c="dimmed">{`and ${items.length - SHOWN} more`}</Text>}
    </Stack>
  );
}

import { Anchor, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'wouter';
import { idOf } from '../../shared/fhir/format.ts';
import { groupWork } from './group-work.ts';
import { useDeskAction, type TodayItem } from './use-today.ts';

const STATES: Record<string, { label: string; color: string }> = {
  booked: { label: 'Booked', color: 'blue' },
  confirmed: { label: 'Confirmed', color: 'teal' },
  unconfirmed: { label: 'Unconfirmed', color: 'yellow' },
  arrived: { label: 'Arrived', color: 'grape' },
  'in-progress': { label: 'In progress', color: 'indigo' },
  fulfilled: { label: 'Seen', color: 'green' },
  noshow: { label: 'No-show', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};
const ARRIVABLE = new Set(['booked', 'confirmed', 'unconfirmed']);

export const stateLabel = (state: string) => STATES[state]?.label ?? state;

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const timeOf = (value: string | undefined) => (value ? timeFormat.format(new Date(value)) : '—');

function Risk({ risk }: { risk: number }) {
  const percent = Math.round(risk * 100);
  const color = risk >= 0.3 ? 'red' : risk >= 0.15 ? 'orange' : 'gray';
  return (
    <Badge variant="outline" color={color} size="sm" title="Chance of a no-show, from the booking">
      {percent}% no-show risk
    </Badge>
  );
}

function Actions({ item, patient }: { item: TodayItem; patient: string }) {
  const act = useDeskAction();
  if (!ARRIVABLE.has(item.state)) return null;
  return (
    <Stack gap={4} align="flex-end">
      <Group gap={6} wrap="nowrap">
        <Button
          size="compact-sm"
          loading={act.isPending && act.variables?.action === 'check-in'}
          disabled={act.isPending}
          aria-label={`Check in ${patient}`}
          onClick={() => act.mutate({ item, action: 'check-in' })}
        >
          Check in
        </Button>
        <Button
          size="compact-sm"
          variant="default"
          loading={act.isPending && act.variables?.action === 'no-show'}
          disabled={act.isPending}
          aria-label={`Mark ${patient} as a no-show`}
          onClick={() => act.mutate({ item, action: 'no-show' })}
        >
          No-show
        </Button>
      </Group>
      {act.error && (
        <Text size="xs" c="red.9" role="alert">
          {act.error.message}
        </Text>
      )}
    </Stack>
  );
}

const WORK_COLORS: Record<string, string> = {
  'care-gaps': 'orange',
  'referrals-to-chase': 'indigo',
  'unanswered-messages': 'cyan',
};

/**
 * What the visit could close: the patient's open gaps, referrals and messages, one badge per
 * kind with its count (at most three kinds shown).
 */
function OpenWork({ item }: { item: TodayItem }) {
  const groups = groupWork(item.openWork ?? []);
  if (groups.length === 0) return null;
  const hidden = groups.slice(3).reduce((sum, group) => sum + group.count, 0);
  return (
    <Group gap={4} wrap="wrap" data-testid="today-open-work" aria-label="Open for this patient">
      {groups.slice(0, 3).map((group) => (
        <Badge key={group.task} size="xs" variant="dot" color={WORK_COLORS[group.worklist] ?? 'gray'}>
          {group.title}
          {group.count > 1 && ` ×${group.count}`}
        </Badge>
      ))}
      {hidden > 0 && (
        <Text size="xs" c="dimmed">
          +{hidden} more
        </Text>
      )}
    </Group>
  );
}

export interface RowNames {
  patient: string;
  practitioner?: string;
}

/** One appointment: when, who, with whom, its state, the wait or the risk, and the desk's actions. */
export function TodayRow({ item, names, canAct }: { item: TodayItem; names: RowNames; canAct: boolean }) {
  const state = STATES[item.state] ?? { label: item.state, color: 'gray' };
  return (
    <Paper withBorder p="sm" radius="md" data-testid="today-item" data-appointment={item.appointment}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <Text fw={700} ff="monospace" size="sm" miw={48}>
            {timeOf(item.start)}
          </Text>
          <Stack gap={2}>
            {item.patient ? (
              <Anchor component={Link} href={`/patients/${idOf(item.patient)}`} fw={600} size="sm">
                {names.patient}
              </Anchor>
            ) : (
              <Text size="sm">{names.patient}</Text>
            )}
            <Text size="xs" c="dimmed">
              {[item.description, names.practitioner].filter(Boolean).join(' · ') || '—'}
            </Text>
            <OpenWork item={item} />
          </Stack>
        </Group>
        <Group gap="sm" wrap="wrap" justify="flex-end">
          <Badge color={state.color} variant="light" data-testid="today-state">
            {state.label}
          </Badge>
          {item.waitingMinutes !== undefined && (
            <Badge variant="outline" color="grape" size="sm">
              waiting {item.waitingMinutes} min
            </Badge>
          )}
          {item.noShowRisk !== undefined && ARRIVABLE.has(item.state) && <Risk risk={item.noShowRisk} />}
          {canAct && <Actions item={item} patient={names.patient} />}
        </Group>
      </Group>
    </Paper>
  );
}

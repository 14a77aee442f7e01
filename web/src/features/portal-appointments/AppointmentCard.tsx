import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconCalendarPlus } from '@tabler/icons-react';
import { conceptText } from '../../shared/fhir/format.ts';
import { downloadIcs, icsOf } from './calendar.ts';
import { actorOf, awaitsHerAnswer, type Appointment } from './model.ts';

const whenFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function titleOf(appointment: Appointment): string {
  return (
    appointment.description ??
    conceptText(appointment.serviceType?.[0]) ??
    conceptText(appointment.appointmentType) ??
    'Appointment'
  );
}

const STATUS: Record<string, { label: string; color: string }> = {
  booked: { label: 'Booked', color: 'teal' },
  pending: { label: 'Held for you', color: 'yellow' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  fulfilled: { label: 'Attended', color: 'gray' },
  noshow: { label: 'Missed', color: 'orange' },
  arrived: { label: 'Checked in', color: 'teal' },
};

interface CardProps {
  appointment: Appointment;
  names: Map<string, string> | undefined;
  /** Upcoming ones can be confirmed, moved, cancelled and put in a calendar. */
  actions?: { onConfirm: () => void; onReschedule: () => void; onCancel: () => void; confirming: boolean };
}

const TO_CONFIRM = { label: 'Please confirm', color: 'orange' };

function statusOf(appointment: Appointment, upcoming: boolean) {
  if (upcoming && awaitsHerAnswer(appointment)) return TO_CONFIRM;
  return STATUS[appointment.status] ?? { label: appointment.status, color: 'gray' };
}

/** One appointment: what, when, with whom and where; for an upcoming one, what she can do. */
export function AppointmentCard({ appointment, names, actions }: CardProps) {
  const title = titleOf(appointment);
  const who = names?.get(actorOf(appointment, 'Practitioner') ?? '');
  const where = names?.get(actorOf(appointment, 'Location') ?? '');
  const status = statusOf(appointment, !!actions);
  return (
    <Card
      padding="md"
      component="article"
      aria-label={`${title}, ${whenFormat.format(new Date(appointment.start!))}`}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={650}>{title}</Text>
          <Badge color={status.color} variant="light" style={{ flexShrink: 0 }}>
            {status.label}
          </Badge>
        </Group>
        <Text>{whenFormat.format(new Date(appointment.start!))}</Text>
        {(who || where) && (
          <Text size="sm" c="dimmed">
            {[who, where].filter(Boolean).join(' · ')}
          </Text>
        )}
        {actions && <Actions appointment={appointment} actions={actions} calendar={{ title, where }} />}
      </Stack>
    </Card>
  );
}

interface ActionsProps extends Required<Pick<CardProps, 'actions' | 'appointment'>> {
  calendar: { title: string; where: string | undefined };
}

/** Confirm (only while her answer is awaited), change the time, cancel, add to a calendar. */
function Actions({ appointment, actions, calendar }: ActionsProps) {
  return (
    <Group gap="xs" mt={4}>
      {awaitsHerAnswer(appointment) && (
        <Button size="sm" color="teal" loading={actions.confirming} onClick={actions.onConfirm}>
          Confirm
        </Button>
      )}
      <Button size="sm" variant="light" onClick={actions.onReschedule}>
        Change time
      </Button>
      <Button size="sm" variant="light" color="red" onClick={actions.onCancel}>
        Cancel
      </Button>
      <Button
        size="sm"
        variant="subtle"
        leftSection={<IconCalendarPlus size={16} aria-hidden />}
        onClick={() => downloadIcs('appointment.ics', icsOf(appointment, { ...calendar, now: new Date() }))}
      >
        Add to calendar
      </Button>
    </Group>
  );
}

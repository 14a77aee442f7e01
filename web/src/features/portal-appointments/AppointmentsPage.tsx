import { Alert, Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { AppointmentCard, titleOf } from './AppointmentCard.tsx';
import { FindTime } from './FindTime.tsx';
import { serviceCodeOf, splitAppointments, type Appointment } from './model.ts';
import { useAppointments, useChange, useNames } from './use-appointments.ts';
import { Waitlist } from './Waitlist.tsx';

/** Cancelling asks once more: a freed time may be taken by someone else at once. */
function CancelDialog({ appointment, onClose }: { appointment?: Appointment; onClose: () => void }) {
  const { cancel } = useChange();
  return (
    <Modal opened={!!appointment} onClose={onClose} title="Cancel this appointment?">
      <Stack>
        <Text>{appointment && titleOf(appointment)}. The time goes back to the clinic for someone else.</Text>
        {cancel.error && (
          <Alert color="red" role="alert">
            {cancel.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep it
          </Button>
          <Button
            color="red"
            loading={cancel.isPending}
            onClick={() => cancel.mutate(appointment!.id!, { onSuccess: onClose })}
          >
            Cancel appointment
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RescheduleDialog({ appointment, onClose }: { appointment?: Appointment; onClose: () => void }) {
  const { reschedule } = useChange();
  const phone = useMediaQuery('(max-width: 48em)');
  return (
    <Modal opened={!!appointment} onClose={onClose} title="Choose a new time" fullScreen={phone}>
      {appointment && (
        <FindTime
          service={serviceCodeOf(appointment)}
          action="Move to"
          busy={reschedule.isPending}
          error={reschedule.error}
          onChoose={(time) => reschedule.mutate({ id: appointment.id!, time }, { onSuccess: onClose })}
        />
      )}
    </Modal>
  );
}

function BookNew() {
  const [open, setOpen] = useState(false);
  const { book } = useChange();
  const [booked, setBooked] = useState(false);
  if (!open)
    return (
      <Stack gap="xs">
        {booked && (
          <Alert color="green" role="status">
            Your appointment is booked.
          </Alert>
        )}
        <Button size="md" onClick={() => setOpen(true)}>
          Book an appointment
        </Button>
      </Stack>
    );
  return (
    <Card padding="md" component="section" aria-label="Book an appointment">
      <Title order={2} size="h4" mb="sm">
        Book an appointment
      </Title>
      <FindTime
        action="Book"
        busy={book.isPending}
        error={book.error}
        onChoose={(time) => book.mutate(time, { onSuccess: () => (setOpen(false), setBooked(true)) })}
      />
    </Card>
  );
}

interface UpcomingProps {
  appointments: Appointment[];
  names: Map<string, string> | undefined;
  onCancel: (appointment: Appointment) => void;
  onReschedule: (appointment: Appointment) => void;
}

/** The ones ahead, soonest first: each can be confirmed, moved or cancelled. */
function Upcoming({ appointments, names, onCancel, onReschedule }: UpcomingProps) {
  const { confirm } = useChange();
  return (
    <Stack gap="sm" component="section" aria-label="Upcoming">
      <Title order={2} size="h4">
        Upcoming
      </Title>
      {confirm.isSuccess && (
        <Alert color="green" role="status">
          Thank you: your appointment is confirmed.
        </Alert>
      )}
      {confirm.error && (
        <Alert color="red" role="alert">
          {confirm.error.message}
        </Alert>
      )}
      {appointments.length === 0 && <Text c="dimmed">No upcoming appointments.</Text>}
      {appointments.map((a) => (
        <AppointmentCard
          key={a.id}
          appointment={a}
          names={names}
          actions={{
            onConfirm: () => confirm.mutate(a.id!),
            onCancel: () => onCancel(a),
            onReschedule: () => onReschedule(a),
            confirming: confirm.isPending && confirm.variables === a.id,
          }}
        />
      ))}
    </Stack>
  );
}

/** Upcoming and past appointments; book, confirm, move, cancel, add to a calendar. */
export function AppointmentsPage() {
  const query = useAppointments();
  const names = useNames(query.data);
  const [cancelling, setCancelling] = useState<Appointment>();
  const [moving, setMoving] = useState<Appointment>();
  // "Upcoming" as of opening the page: a list that reshuffles while she reads it would confuse.
  const [now] = useState(() => Date.now());
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Appointments
      </Title>
      <BookNew />
      <QueryState query={query}>
        {(appointments) => {
          const { upcoming, past } = splitAppointments(appointments, now);
          return (
            <>
              <Upcoming
                appointments={upcoming}
                names={names.data}
                onCancel={setCancelling}
                onReschedule={setMoving}
              />
              <Waitlist />
              <Stack gap="sm" component="section" aria-label="Past">
                <Title order={2} size="h4">
                  Past
                </Title>
                {past.length === 0 && <Text c="dimmed">No past appointments.</Text>}
                {past.map((a) => (
                  <AppointmentCard key={a.id} appointment={a} names={names.data} />
                ))}
              </Stack>
            </>
          );
        }}
      </QueryState>
      <CancelDialog appointment={cancelling} onClose={() => setCancelling(undefined)} />
      <RescheduleDialog appointment={moving} onClose={() => setMoving(undefined)} />
    </Stack>
  );
}

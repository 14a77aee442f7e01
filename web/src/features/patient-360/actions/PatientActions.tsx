import { Alert, Button, Group } from '@mantine/core';
import { IconCalendarPlus, IconListCheck, IconMessage, IconPhone } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { mayInteract, mayOperate, useMe, type Me } from '../../../shared/api/use-me.ts';
import { permittedChannels, TITLES, type Action } from './action-kinds.ts';

const ActionDialog = lazy(() => import('./ActionDialog.tsx'));

/** The actions the user's role is granted; a message also needs a channel the patient agreed to. */
function offeredActions(
  me: Me | undefined,
  channels: string[],
): { action: Action; icon: typeof IconPhone }[] {
  return [
    ...(mayInteract(me, 'Appointment', 'c') ? [{ action: 'book' as const, icon: IconCalendarPlus }] : []),
    ...(mayOperate(me, 'engagement-send') && channels.length > 0
      ? [{ action: 'message' as const, icon: IconMessage }]
      : []),
    ...(mayOperate(me, 'engagement-log-call') ? [{ action: 'call' as const, icon: IconPhone }] : []),
    ...(mayInteract(me, 'Task', 'c') ? [{ action: 'task' as const, icon: IconListCheck }] : []),
  ];
}

/**
 * What an action did, scrolled into view: on a phone the buttons end the first screen and the
 * note below them was never seen once the dialog closed, as if nothing had happened.
 */
function DoneNote({ message, onClose }: { message: string; onClose: () => void }) {
  const note = useRef<HTMLDivElement>(null);
  useEffect(() => {
    note.current?.scrollIntoView({ block: 'nearest' });
  }, [message]);
  return (
    <Alert ref={note} color="teal" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={onClose}>
      {message}
    </Alert>
  );
}

/**
 * What the user may do for this patient — only what their role is granted (`GET /api/me`), so
 * nothing is offered that the server would refuse. A message needs a channel the patient agreed to.
 */
export function PatientActions(props: { patientId: string; consent: Record<string, 'permit' | 'deny'> }) {
  const me = useMe();
  const [open, setOpen] = useState<Action | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const patient = `Patient/${props.patientId}`;
  const channels = permittedChannels(props.consent);
  const finish = (message: string) => {
    setOpen(undefined);
    setDone(message);
  };
  const offered = offeredActions(me.data, channels);
  if (offered.length === 0) return null;
  return (
    <>
      <Group gap="xs" wrap="wrap" data-testid="patient-actions">
        {offered.map(({ action, icon: Icon }) => (
          <Button
            key={action}
            variant="light"
            size="sm"
            leftSection={<Icon size={16} aria-hidden />}
            onClick={() => setOpen(action)}
          >
            {TITLES[action]}
          </Button>
        ))}
      </Group>
      {done && <DoneNote message={done} onClose={() => setDone(undefined)} />}
      {open && (
        <Suspense>
          <ActionDialog
            action={open}
            patient={patient}
            channels={channels}
            onClose={() => setOpen(undefined)}
            onDone={finish}
          />
        </Suspense>
      )}
    </>
  );
}

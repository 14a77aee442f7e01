import { Modal } from '@mantine/core';
import { TITLES, type Action } from './action-kinds.ts';
import { BookAppointment } from './BookAppointment.tsx';
import { CreateFollowUp } from './CreateFollowUp.tsx';
import { LogCall } from './LogCall.tsx';
import { SendMessage } from './SendMessage.tsx';

/**
 * The dialog of one action, in its own chunk: the forms (dates, radios, text areas) load when
 * a user first opens one, not with every 360° page.
 */
export default function ActionDialog(props: {
  action: Action;
  patient: string;
  channels: string[];
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { action, patient, onDone } = props;
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={TITLES[action]}
      size={action === 'book' ? 'xl' : 'lg'}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {action === 'book' && <BookAppointment patient={patient} onDone={onDone} />}
      {action === 'message' && <SendMessage patient={patient} channels={props.channels} onDone={onDone} />}
      {action === 'call' && <LogCall patient={patient} onDone={onDone} />}
      {action === 'task' && <CreateFollowUp patient={patient} onDone={onDone} />}
    </Modal>
  );
}

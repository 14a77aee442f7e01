import type { Appointment, Slot } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { HOLD_EXPIRES_EXTENSION } from '../model/booking-codes.ts';

/**
 * `$book` of a held Appointment (status `pending`, from `$hold`): its tentative Slot becomes
 * busy and the Appointment booked, in one transaction naming the versions read. A hold that
 * lapsed and was released (its Slot free again) is gone: CONFLICT, ask `$find` again.
 */
export async function confirmHold(deps: SchedulingDeps, id: string): Promise<Appointment> {
  const held = await deps.repository.read<Appointment & { id: string }>('Appointment', id);
  const slotId = /^Slot\/(.+)$/.exec(held.slot?.[0]?.reference ?? '')?.[1];
  const slot = slotId ? await deps.repository.read<Slot & { id: string }>('Slot', slotId) : undefined;
  if (held.status !== 'pending' || slot?.status !== 'busy-tentative')
    throw new ThroughlineError('CONFLICT', 'The hold has lapsed or was already booked: ask $find again', {
      expression: 'Appointment.status',
    });
  const extension = slot.extension?.filter((each) => each.url !== HOLD_EXPIRES_EXTENSION);
  const busySlot: Slot = { ...slot, status: 'busy', extension: extension?.length ? extension : undefined };
  const booked: Appointment = {
    ...held,
    status: 'booked',
    participant: held.participant.map((participant) => ({ ...participant, status: 'accepted' })),
  };
  const response = await deps.repository.processBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        resource: busySlot,
        request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch: `W/"${slot.meta?.versionId}"` },
      },
      {
        resource: booked,
        request: { method: 'PUT', url: `Appointment/${id}`, ifMatch: `W/"${held.meta?.versionId}"` },
      },
    ],
  });
  return response.entry?.at(-1)?.resource as Appointment;
}

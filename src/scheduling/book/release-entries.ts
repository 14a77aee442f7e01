import type { Appointment, BundleEntry, Slot } from '@medplum/fhirtypes';
import { CLAIM_SYSTEM } from '../model/claim-keys.ts';
import { HOLD_EXPIRES_EXTENSION, RELEASED_TAG } from '../model/booking-codes.ts';

/** What to release: Slots (their claims) and the Appointments that held them. */
export interface Release {
  slots: (Slot & { id: string })[];
  appointments: (Appointment & { id: string })[];
  status: 'cancelled' | 'noshow';
  reason: string;
}

/**
 * Transaction entries that give a booking's time back: each Slot becomes `free` (tagged
 * released, its claims and hold expiry dropped) and each Appointment gets the new status.
 * Every write names the version it read (`ifMatch`): a concurrent change fails the whole
 * transaction instead of being overwritten.
 */
export function releaseEntries(release: Release): BundleEntry[] {
  const slots = release.slots.map((slot) => ({
    resource: {
      ...slot,
      status: 'free' as const,
      identifier: slot.identifier?.filter((identifier) => identifier.system !== CLAIM_SYSTEM),
      extension: slot.extension?.filter((extension) => extension.url !== HOLD_EXPIRES_EXTENSION),
      meta: { ...slot.meta, tag: [...(slot.meta?.tag ?? []), RELEASED_TAG] },
    },
    request: { method: 'PUT' as const, url: `Slot/${slot.id}`, ifMatch: `W/"${slot.meta?.versionId}"` },
  }));
  const appointments = release.appointments.map((appointment) => ({
    resource: {
      ...appointment,
      status: release.status,
      ...(release.status === 'cancelled' ? { cancelationReason: { text: release.reason } } : {}),
    },
    request: {
      method: 'PUT' as const,
      url: `Appointment/${appointment.id}`,
      ifMatch: `W/"${appointment.meta?.versionId}"`,
    },
  }));
  return [...slots, ...appointments].map((entry) => cleanEmpty(entry));
}

/** FHIR JSON has no empty arrays: a list emptied by the filters above is left out. */
function cleanEmpty(entry: BundleEntry): BundleEntry {
  const resource = { ...(entry.resource as unknown as Record<string, unknown>) };
  for (const key of ['identifier', 'extension']) {
    const value = resource[key];
    if (Array.isArray(value) && value.length === 0) delete resource[key];
  }
  return { ...entry, resource: resource as unknown as BundleEntry['resource'] };
}

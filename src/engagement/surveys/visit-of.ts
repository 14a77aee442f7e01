import type { Appointment, CodeableConcept, Encounter, Resource } from '@medplum/fhirtypes';

/** A visit that happened, as a survey needs it: who was seen, when it ended, where and for what. */
export interface Visit {
  /** `Appointment/{id}` or `Encounter/{id}`: what the survey is about. */
  reference: string;
  /** The Appointment when an Encounter names one: one survey per visit, whichever is written first. */
  key: string;
  patients: string[];
  endedAt: string;
  encounter?: string;
  location?: string;
  touchpoint?: CodeableConcept;
}

/** A fulfilled Appointment or a finished Encounter as a visit; anything else is none. */
export function visitOf(resource: Resource): Visit | undefined {
  if (resource.resourceType === 'Appointment') return appointmentVisit(resource);
  if (resource.resourceType === 'Encounter') return encounterVisit(resource);
  return undefined;
}

function appointmentVisit(appointment: Appointment): Visit | undefined {
  const endedAt = appointment.end ?? appointment.start;
  if (appointment.status !== 'fulfilled' || !endedAt) return undefined;
  const actors = (appointment.participant ?? [])
    .filter((p) => p.status !== 'declined')
    .map((p) => p.actor?.reference ?? '');
  const reference = `Appointment/${appointment.id}`;
  return {
    reference,
    key: reference,
    patients: actors.filter((actor) => actor.startsWith('Patient/')),
    endedAt,
    location: actors.find((actor) => actor.startsWith('Location/')),
    touchpoint: appointment.serviceType?.[0] ?? appointment.appointmentType,
  };
}

function encounterVisit(encounter: Encounter): Visit | undefined {
  const endedAt = encounter.period?.end ?? encounter.period?.start;
  const patient = encounter.subject?.reference;
  if (encounter.status !== 'finished' || !endedAt || !patient?.startsWith('Patient/')) return undefined;
  const reference = `Encounter/${encounter.id}`;
  return {
    reference,
    key: encounter.appointment?.[0]?.reference ?? reference,
    patients: [patient],
    endedAt,
    encounter: reference,
    location: encounter.location?.[0]?.location?.reference,
    touchpoint: encounter.serviceType ?? encounter.type?.[0],
  };
}

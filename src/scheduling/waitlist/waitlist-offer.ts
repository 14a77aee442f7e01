import type { Appointment, Extension } from '@medplum/fhirtypes';

/** A freed time offered to a waitlisted patient, kept on their waitlist Appointment until answered. */
export const OFFER_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/waitlist-offer';
/** On a cancelled Appointment: its time was offered to the waitlist (so it is offered once). */
export const OFFERED_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/waitlist-offered';
/** On a filled waitlist entry: the Appointment it was booked as. */
export const BOOKED_AS_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/waitlist-booked-as';
/** How long an offer stands. */
export const OFFER_MINUTES = 120;

export interface WaitlistOffer {
  schedule: string;
  start: string;
  end: string;
  expires: string;
  /** The cancelled Appointment whose time this is: offers of one time share it. */
  freed: string;
}

export function offerExtension(offer: WaitlistOffer): Extension {
  return {
    url: OFFER_EXTENSION,
    extension: [
      { url: 'schedule', valueReference: { reference: offer.schedule } },
      { url: 'start', valueDateTime: offer.start },
      { url: 'end', valueDateTime: offer.end },
      { url: 'expires', valueInstant: offer.expires },
      { url: 'freed', valueReference: { reference: offer.freed } },
    ],
  };
}

export function offerOf(appointment: Appointment): WaitlistOffer | undefined {
  const parts = appointment.extension?.find((each) => each.url === OFFER_EXTENSION)?.extension ?? [];
  const part = (url: string) => parts.find((each) => each.url === url);
  const offer = {
    schedule: part('schedule')?.valueReference?.reference ?? '',
    start: part('start')?.valueDateTime ?? '',
    end: part('end')?.valueDateTime ?? '',
    expires: part('expires')?.valueInstant ?? '',
    freed: part('freed')?.valueReference?.reference ?? '',
  };
  return offer.schedule && offer.start && offer.end ? offer : undefined;
}

/** The entry without its offer (answered, expired or gone), its patient back to needs-action. */
export function withoutOffer(entry: Appointment): Appointment {
  const extension = entry.extension?.filter((each) => each.url !== OFFER_EXTENSION);
  return {
    ...entry,
    extension: extension?.length ? extension : undefined,
    participant: entry.participant.map((p) =>
      p.actor?.reference?.startsWith('Patient/') ? { ...p, status: 'needs-action' as const } : p,
    ),
  };
}

/** What scheduling asks engagement to send (composed in `server` with engagement's outreach). */
export interface WaitlistMessage {
  patient: string;
  /** The waitlist Appointment: a YES reply to the message accepts the offer on it. */
  about: string;
  text: string;
  /** The same key twice is the same message. */
  key: string;
}

export type SendWaitlistMessage = (message: WaitlistMessage) => Promise<void>;

import { DateTime } from 'luxon';
import type { WaitlistOffer } from './waitlist-offer.ts';

const when = (offer: WaitlistOffer, zone: string) =>
  DateTime.fromISO(offer.start, { zone }).toFormat("ccc d LLL 'at' HH:mm");

/** The offer, short enough for one SMS; YES is engagement's confirm word. */
export function offerText(offer: WaitlistOffer, zone: string): string {
  return `An earlier appointment is free: ${when(offer, zone)}. Reply YES to take it (first come, first served).`;
}

export function bookedText(offer: WaitlistOffer, zone: string): string {
  return `You are booked for ${when(offer, zone)}. See you then.`;
}

export function goneText(offer: WaitlistOffer, zone: string): string {
  return `Sorry, the appointment on ${when(offer, zone)} has gone. You stay on the waiting list.`;
}

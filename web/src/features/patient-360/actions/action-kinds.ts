/** The actions of the 360° page (kept apart from their forms, which load when first opened). */
export type Action = 'book' | 'message' | 'call' | 'task';

export const TITLES: Record<Action, string> = {
  book: 'Book an appointment',
  message: 'Send a message',
  call: 'Log a call',
  task: 'Set a follow-up',
};

/** Channels a one-off message can go on (voice is a call, logged instead). */
const SENDABLE = ['sms', 'email', 'whatsapp'];

/** The channels the patient agreed to be messaged on. */
export function permittedChannels(consent: Record<string, 'permit' | 'deny'>): string[] {
  return SENDABLE.filter((channel) => consent[channel] === 'permit');
}

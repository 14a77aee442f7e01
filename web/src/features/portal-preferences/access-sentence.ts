import { codeAsWords } from '../../shared/fhir/code-words.ts';
import type { Access } from './use-preferences.ts';

/** What someone did, as the patient reads it: the audit action as a verb. */
const VERBS: Record<string, string> = {
  read: 'opened',
  vread: 'opened',
  search: 'looked through',
  history: 'looked through the history of',
  everything: 'opened the whole of',
  create: 'added to',
  update: 'changed',
  delete: 'removed from',
  'break-glass': 'opened in an emergency',
};

/** "Patient" → "your details", "Observation" → "your results": what part of the record. */
const PARTS: Record<string, string> = {
  Patient: 'your details',
  Observation: 'your results',
  DiagnosticReport: 'your results',
  Appointment: 'your appointments',
  Condition: 'your health problems',
  Communication: 'your messages',
  Consent: 'your consent choices',
  Encounter: 'your visits',
  MedicationRequest: 'your medications',
};

/**
 * "Opened your results": one access to her record in words. An action with no verb here yet (a
 * portal action a caregiver took for her) reads as its code in words, with the part it touched.
 */
export function accessSentence(access: Pick<Access, 'action' | 'what'>): string {
  const part = access.what ? (PARTS[access.what] ?? `your record (${access.what})`) : 'your record';
  const verb = VERBS[access.action];
  if (!verb) return `${codeAsWords(access.action)}: ${part}`;
  return `${verb.charAt(0).toUpperCase()}${verb.slice(1)} ${part}`;
}

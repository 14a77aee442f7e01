import type { ContactPoint, Patient } from '../../shared/fhir/types.ts';

/**
 * Her preferred channel and language, as engagement reads them from her Patient record: the
 * channel of the best-ranked contact point (`ContactPoint.rank` 1; a mobile means SMS) and the
 * `preferred` entry of `Patient.communication` (a BCP 47 code; templates exist in these).
 */
export type PreferredChannel = 'sms' | 'email' | 'voice';

export const CHANNEL_LABELS: Record<PreferredChannel, string> = {
  sms: 'SMS',
  email: 'Email',
  voice: 'Phone call',
};

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'es', label: 'Español' },
];

export interface PatientWithLanguage extends Patient {
  communication?: {
    language?: { coding?: { system?: string; code?: string; display?: string }[]; text?: string };
    preferred?: boolean;
  }[];
}

function channelOf(point: ContactPoint): PreferredChannel | undefined {
  if (point.system === 'email') return 'email';
  if (point.system === 'sms' || (point.system === 'phone' && point.use === 'mobile')) return 'sms';
  return point.system === 'phone' ? 'voice' : undefined;
}

const byRank = (points: ContactPoint[]) => [...points].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));

/** The channels she has an address for, and which comes first now. */
export function channelChoices(patient: Patient): {
  available: PreferredChannel[];
  preferred?: PreferredChannel;
} {
  const points = byRank((patient.telecom ?? []).filter((p) => p.value));
  const available = [...new Set(points.flatMap((p) => channelOf(p) ?? []))];
  // A mobile also takes calls.
  if (available.includes('sms') && !available.includes('voice')) available.push('voice');
  return { available, preferred: points.map(channelOf).find(Boolean) };
}

/** Her contact points re-ranked: the chosen channel's first (rank 1), the rest in their order. */
export function withPreferredChannel(patient: Patient, channel: PreferredChannel): Patient {
  const points = byRank(patient.telecom ?? []);
  const fits = (p: ContactPoint) => (channel === 'voice' ? p.system === 'phone' : channelOf(p) === channel);
  const chosen = points.findIndex(fits);
  if (chosen < 0) return patient;
  const ordered = [points[chosen]!, ...points.filter((_, i) => i !== chosen)];
  return { ...patient, telecom: ordered.map((point, i) => ({ ...point, rank: i + 1 })) };
}

export function preferredLanguage(patient: PatientWithLanguage): string | undefined {
  const entry = patient.communication?.find((c) => c.preferred) ?? patient.communication?.[0];
  return entry?.language?.coding?.[0]?.code?.slice(0, 2);
}

/** Her language first and `preferred`; the others she listed kept, not preferred. */
export function withLanguage(patient: PatientWithLanguage, code: string): PatientWithLanguage {
  const label = LANGUAGES.find((l) => l.code === code)?.label ?? code;
  const others = (patient.communication ?? [])
    .filter((c) => c.language?.coding?.[0]?.code?.slice(0, 2) !== code)
    .map((c) => ({ ...c, preferred: false }));
  const chosen = {
    language: { coding: [{ system: 'urn:ietf:bcp:47', code, display: label }], text: label },
    preferred: true,
  };
  return { ...patient, communication: [chosen, ...others] };
}

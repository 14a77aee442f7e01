import type { Consent, Patient, Resource } from '@medplum/fhirtypes';

export interface ContactPreferences {
  /** Preferred language (Patient.communication, preferred first). */
  language?: string;
  /** Preferred channel: the first-ranked contact point (a mobile number means SMS). */
  channel?: string;
  /** The latest active consent per channel: permit or deny; channels never asked are absent. */
  consent: Record<string, 'permit' | 'deny'>;
}

/** v3 ParticipationMode codes as channel names. */
const CHANNEL_CODES: Record<string, string> = {
  SMSWRIT: 'sms',
  EMAILWRIT: 'email',
  PHONE: 'phone',
  VIDEOCONF: 'video',
  MAILWRIT: 'mail',
  ONLINEWRIT: 'portal',
  WHATSAPP: 'whatsapp',
};

/** How and in what language to reach the person, and what they agreed to, across their records. */
export function contactPreferences(records: Patient[], resources: Resource[]): ContactPreferences {
  const languages = records.flatMap((record) =>
    [...(record.communication ?? [])].sort(
      (a, b) => Number(b.preferred ?? false) - Number(a.preferred ?? false),
    ),
  );
  const first = records
    .flatMap((record) => record.telecom ?? [])
    .filter((point) => point.value)
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0];
  const channel = !first
    ? undefined
    : first.system === 'email'
      ? 'email'
      : first.system === 'phone' && first.use === 'mobile'
        ? 'sms'
        : first.system;
  return {
    language: languages[0]?.language?.coding?.[0]?.code ?? languages[0]?.language?.text,
    channel,
    consent: channelConsents(resources.filter((r): r is Consent => r.resourceType === 'Consent')),
  };
}

function channelConsents(consents: Consent[]): Record<string, 'permit' | 'deny'> {
  const latest: Record<string, { at: string; type: 'permit' | 'deny' }> = {};
  for (const consent of consents) {
    if (consent.status !== 'active' || !consent.provision?.type) continue;
    for (const code of (consent.provision.code ?? [])
      .flatMap((concept) => concept.coding ?? [])
      .map((c) => c.code)) {
      const name = code ? CHANNEL_CODES[code] : undefined;
      const at = consent.dateTime ?? '';
      if (name && (!latest[name] || at >= latest[name].at))
        latest[name] = { at, type: consent.provision.type };
    }
  }
  return Object.fromEntries(Object.entries(latest).map(([name, value]) => [name, value.type]));
}

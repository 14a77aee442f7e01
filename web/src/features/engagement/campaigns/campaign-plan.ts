/** The campaign form's state: every field as typed (selects hold '' for "none"). */
export interface CampaignForm {
  name: string;
  purpose: string;
  channel: string;
  text: string;
  perHour: number;
  search: string;
  journey: string;
  stage: string;
  careGap: string;
}

/** What the server is asked (`POST /api/engagement/campaigns[/preview]`). */
export interface CampaignBody {
  name: string;
  purpose: string;
  channel?: string;
  text?: string;
  perHour: number;
  cohort: { search?: string; journey?: string; stage?: string; careGap?: string };
}

export const EMPTY_FORM: CampaignForm = {
  name: '',
  purpose: 'care-gap',
  channel: '',
  text: '',
  perHour: 600,
  search: '',
  journey: '',
  stage: '',
  careGap: '',
};

export const PURPOSES = [
  { value: 'care-gap', label: 'Care due (screening, test, vaccination)' },
  { value: 'appointment-reminder', label: 'Appointment reminder' },
  { value: 'results-ready', label: 'Results ready' },
  { value: 'referral', label: 'Referral' },
  { value: 'survey', label: 'Survey' },
  { value: 'marketing', label: 'News from the clinic (needs an explicit permit)' },
];

export const CHANNEL_LABELS: Record<string, string> = {
  sms: 'SMS',
  email: 'Email',
  whatsapp: 'WhatsApp',
  voice: 'Voice',
};

/** Only what was filled in: an empty text means the purpose's template in each patient's language. */
export function campaignBodyOf(form: CampaignForm): CampaignBody {
  const given = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const cohort = {
    search: given(form.search),
    journey: given(form.journey),
    stage: given(form.journey) ? given(form.stage) : undefined,
    careGap: given(form.careGap),
  };
  return {
    name: form.name.trim(),
    purpose: form.purpose,
    ...(given(form.channel) ? { channel: form.channel } : {}),
    ...(given(form.text) ? { text: form.text } : {}),
    perHour: form.perHour,
    cohort: Object.fromEntries(Object.entries(cohort).filter(([, value]) => value)),
  };
}

/** An Idempotency-Key for one launch (8–64 of A–Z a–z 0–9 - . _). */
export function newLaunchKey(): string {
  const random = globalThis.crypto?.randomUUID?.();
  return random ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

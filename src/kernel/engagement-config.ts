import { httpUrl, integerField, optionalField, optional, type FieldSpec } from './config-fields.ts';

/** Outreach settings (engagement): providers, the rules at the moment of sending, retries. */
export interface EngagementConfig {
  /** SMTP relay (`smtp://user:pass@host:587`, `smtps://…`); unset → the local outbox. */
  smtpUrl: string | undefined;
  /** The From of outreach e-mail. */
  smtpFrom: string;
  /** The clinic's name in outreach messages. */
  clinicName: string;
  /** `twilio` sends SMS and voice through a Twilio-compatible API; `sink` (default) to the local outbox. */
  smsProvider: 'twilio' | 'sink';
  twilioAccountSid: string | undefined;
  twilioAuthToken: string | undefined;
  /** The sending number (E.164). */
  twilioFrom: string | undefined;
  /** Base URL of the Twilio-compatible API (tests and on-premises gateways point it elsewhere). */
  twilioApiUrl: string;
  /** WhatsApp Cloud-compatible API: all four or none (none → the local outbox). */
  whatsappToken: string | undefined;
  whatsappPhoneNumberId: string | undefined;
  whatsappAppSecret: string | undefined;
  whatsappVerifyToken: string | undefined;
  /** Base URL of the Cloud-compatible API, version included. */
  whatsappApiUrl: string;
  /** Local times no non-urgent message goes out (`21:00-08:00`), or `off`. */
  quietHours: { start: string; end: string } | undefined;
  /** At most this many non-urgent SMS a patient gets per day, and per week. */
  smsPerDay: number;
  smsPerWeek: number;
  /** How long before an appointment its reminders fall due, in hours (default 72, 24, 2). */
  reminderHours: number[];
  /** Hours after a visit ends its satisfaction survey falls due (`SURVEY_DELAY_HOURS`, default 2; 0: at once). */
  surveyDelayHours: number;
  /** The clinic's channel order when the preferred channel is refused, fails or is not permitted. */
  channelFallback: string[];
  /** Tries of one channel for one request before it fails over or is dead-lettered. */
  outreachMaxAttempts: number;
  /** Deliveries in flight at once per worker (they share reads and writes; more needs more connections). */
  outreachConcurrency: number;
  /** First retry delay after a provider error (doubles each try, capped at one hour). */
  outreachRetryBaseSeconds: number;
  /** A provider call that takes longer is a timeout (retried with the same idempotency key). */
  providerTimeoutSeconds: number;
  /** How long a worker holds a claimed job or a subscriber's batch; a dead worker's are taken up after it. */
  jobLeaseSeconds: number;
}

const CHANNELS = ['sms', 'email', 'whatsapp', 'voice'];

function quietHours(raw: string | undefined): EngagementConfig['quietHours'] {
  const value = optional(raw) ?? '21:00-08:00';
  if (value === 'off') return undefined;
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`QUIET_HOURS must be HH:MM-HH:MM or off, got "${value}"`);
  return { start: `${match[1]}:${match[2]}`, end: `${match[3]}:${match[4]}` };
}

function hoursList(raw: string | undefined): number[] {
  const value = optional(raw) ?? '72,24,2';
  const hours = value.split(',').map((part) => Number(part.trim().replace(/h$/, '')));
  if (hours.some((hour) => !Number.isFinite(hour) || hour <= 0 || hour > 24 * 60))
    throw new Error(`REMINDER_SCHEDULE must be hours before the appointment (72,24,2), got "${value}"`);
  return hours;
}

function channelList(raw: string | undefined): string[] {
  const value = optional(raw) ?? 'sms,email,whatsapp,voice';
  const channels = value.split(',').map((part) => part.trim());
  const unknown = channels.filter((channel) => !CHANNELS.includes(channel));
  if (unknown.length > 0)
    throw new Error(
      `OUTREACH_FALLBACK lists unknown channels (${unknown.join(', ')}): ${CHANNELS.join(', ')}`,
    );
  return channels;
}

function smtpUrl(raw: string | undefined): string | undefined {
  const value = optional(raw);
  if (value !== undefined && !/^smtps?:\/\/\S+$/.test(value))
    throw new Error(`SMTP_URL must be an smtp:// or smtps:// URL, got "${value}"`);
  return value;
}

function smsProvider(raw: string | undefined): 'twilio' | 'sink' {
  const value = optional(raw) ?? 'sink';
  if (value !== 'twilio' && value !== 'sink')
    throw new Error(`SMS_PROVIDER must be twilio or sink, got "${value}"`);
  return value;
}

const withDefault =
  (fallback: string, check: (raw: string | undefined) => string | undefined) => (raw: string | undefined) =>
    check(raw) ?? fallback;

export const engagementSchema: { [K in keyof EngagementConfig]: FieldSpec<EngagementConfig[K]> } = {
  smtpUrl: { env: 'SMTP_URL', parse: smtpUrl },
  smtpFrom: {
    env: 'SMTP_FROM',
    parse: (raw) => optional(raw) ?? 'Throughline <outreach@throughline.invalid>',
  },
  clinicName: { env: 'CLINIC_NAME', parse: (raw) => optional(raw) ?? 'Riverside Family Practice' },
  smsProvider: { env: 'SMS_PROVIDER', parse: smsProvider },
  twilioAccountSid: optionalField('TWILIO_ACCOUNT_SID'),
  twilioAuthToken: optionalField('TWILIO_AUTH_TOKEN'),
  twilioFrom: optionalField('TWILIO_FROM'),
  twilioApiUrl: {
    env: 'TWILIO_API_URL',
    parse: withDefault('https://api.twilio.com', httpUrl('TWILIO_API_URL')),
  },
  whatsappToken: optionalField('WHATSAPP_TOKEN'),
  whatsappPhoneNumberId: optionalField('WHATSAPP_PHONE_NUMBER_ID'),
  whatsappAppSecret: optionalField('WHATSAPP_APP_SECRET'),
  whatsappVerifyToken: optionalField('WHATSAPP_VERIFY_TOKEN'),
  whatsappApiUrl: {
    env: 'WHATSAPP_API_URL',
    parse: withDefault('https://graph.facebook.com/v21.0', httpUrl('WHATSAPP_API_URL')),
  },
  quietHours: { env: 'QUIET_HOURS', parse: quietHours },
  smsPerDay: integerField('SMS_MAX_PER_DAY', { fallback: 1, min: 0, max: 1000 }),
  smsPerWeek: integerField('SMS_MAX_PER_WEEK', { fallback: 3, min: 0, max: 1000 }),
  reminderHours: { env: 'REMINDER_SCHEDULE', parse: hoursList },
  surveyDelayHours: integerField('SURVEY_DELAY_HOURS', { fallback: 2, min: 0, max: 168 }),
  channelFallback: { env: 'OUTREACH_FALLBACK', parse: channelList },
  outreachMaxAttempts: integerField('OUTREACH_MAX_ATTEMPTS', { fallback: 5, min: 1, max: 50 }),
  outreachConcurrency: integerField('OUTREACH_CONCURRENCY', { fallback: 32, min: 1, max: 256 }),
  outreachRetryBaseSeconds: integerField('OUTREACH_RETRY_BASE_SECONDS', { fallback: 30, min: 0, max: 3600 }),
  providerTimeoutSeconds: integerField('PROVIDER_TIMEOUT_SECONDS', { fallback: 10, min: 1, max: 300 }),
  jobLeaseSeconds: integerField('JOB_LEASE_SECONDS', { fallback: 60, min: 1, max: 3600 }),
};

/** Settings that only make sense together. */
export function engagementChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const twilio = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM].map(optional);
  if (optional(env.SMS_PROVIDER) === 'twilio' && twilio.some((value) => value === undefined))
    problems.push('SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
  const whatsapp = [
    env.WHATSAPP_TOKEN,
    env.WHATSAPP_PHONE_NUMBER_ID,
    env.WHATSAPP_APP_SECRET,
    env.WHATSAPP_VERIFY_TOKEN,
  ];
  const set = whatsapp.map(optional).filter((value) => value !== undefined).length;
  if (set > 0 && set < whatsapp.length)
    problems.push(
      'WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN must be set together',
    );
  return problems;
}

import { DateTime } from 'luxon';
import type { Purpose } from '../model/outreach-codes.ts';

/** What a template may say: the clinic, and for reminders when — never a result or a diagnosis. */
export interface TemplateInput {
  purpose: Purpose;
  /** BCP-47 language of the patient (`Patient.communication`); English when no template has it. */
  language?: string;
  clinicName: string;
  /** The appointment's start, for reminders. */
  start?: Date;
  zone: string;
  /** Surveys: the link to the portal's form (it replaces "on the portal"). */
  link?: string;
}

type Template = (input: TemplateInput, when: string) => string;

/**
 * Templates per purpose and language. Each stays within one 160-character GSM-7 SMS for a
 * clinic name of up to 30 characters (a test checks it), and none reveals clinical details
 * beyond its purpose: "your results are ready", never the result.
 */
const TEMPLATES: Record<string, Record<Purpose, Template>> = {
  en: {
    'appointment-reminder': (i, when) =>
      `${i.clinicName}: reminder of your appointment ${when}. Reply C to confirm, R to reschedule, STOP to opt out.`,
    'results-ready': (i) =>
      `${i.clinicName}: your results are ready. Please log in to the portal or call us.`,
    'care-gap': (i) => `${i.clinicName}: you are due for a check-up. Please call us or book online.`,
    referral: (i) => `${i.clinicName}: your referral is ready to book. Please call us if you need help.`,
    survey: (i) =>
      `${i.clinicName}: how was your visit? Tell us in two minutes${i.link ? `: ${i.link}` : ' on the portal.'}`,
    marketing: (i) => `${i.clinicName}: news from your practice. Reply STOP to opt out.`,
  },
  es: {
    'appointment-reminder': (i, when) =>
      `${i.clinicName}: recordatorio de su cita ${when}. Responda C para confirmar, R para cambiarla, STOP para no recibir.`,
    'results-ready': (i) => `${i.clinicName}: sus resultados estan listos. Entre al portal o llamenos.`,
    'care-gap': (i) => `${i.clinicName}: le toca una revision. Llamenos o reserve en linea.`,
    referral: (i) => `${i.clinicName}: su derivacion esta lista para reservar. Llamenos si necesita ayuda.`,
    survey: (i) =>
      `${i.clinicName}: como fue su visita? Cuentenos${i.link ? `: ${i.link}` : ' en el portal.'}`,
    marketing: (i) => `${i.clinicName}: novedades de su consulta. Responda STOP para no recibir.`,
  },
};

/** The message text for a purpose, in the patient's language when a template has it. */
export function renderTemplate(input: TemplateInput): string {
  const language = (input.language ?? 'en').slice(0, 2).toLowerCase();
  const templates = TEMPLATES[language] ?? TEMPLATES.en!;
  const when = input.start
    ? DateTime.fromJSDate(input.start, { zone: input.zone })
        .setLocale(TEMPLATES[language] ? language : 'en')
        .toFormat('ccc d LLL HH:mm')
    : '';
  return templates[input.purpose](input, when);
}

/** GSM 03.38 basic characters: a message of only these fits 160 per SMS (else UCS-2, 70). */
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** How many SMS segments a text takes (GSM-7: 160 alone, 153 per part; UCS-2: 70 / 67). */
export function smsSegments(text: string): number {
  const gsm = [...text].every((c) => GSM7.includes(c));
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const length = [...text].length;
  return length <= single ? 1 : Math.ceil(length / part);
}

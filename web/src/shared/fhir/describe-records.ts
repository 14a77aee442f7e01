import { conceptText, mrnsOf } from './format.ts';
import { codeWords, field, firstConcept, moneyText, withoutReferences, type Money } from './fields.ts';
import type { CodeableConcept, Coding, Patient, Resource } from './types.ts';

/** One line for a resource: what it is, and its key detail. */
export interface Described {
  title: string;
  detail?: string;
}

const JOURNEY_STAGE_URL = 'https://throughline.dev/fhir/StructureDefinition/journey-stage';

interface Extension {
  url?: string;
  extension?: Extension[];
  valueCoding?: Coding;
}

/** The journey stage an episode is in (src/journey's `journey-stage` extension): its display. */
function stageOf(resource: Resource): string | undefined {
  const stage = field<Extension[]>(resource, 'extension')
    ?.find((extension) => extension.url === JOURNEY_STAGE_URL)
    ?.extension?.find((part) => part.url === 'stage')?.valueCoding;
  return stage?.display ?? codeWords(stage?.code);
}

const joined = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ') || undefined;

/**
 * The records of who the patient is, what they agreed to, how they are covered and where they
 * are in a journey: in people's words ("Care episode: Patient journey"), never a type name.
 */
export const recordDescribers: Record<string, (resource: Resource) => Described> = {
  EpisodeOfCare: (r) => ({
    title: `Care episode: ${conceptText(firstConcept(r, 'type')) ?? 'care'}`,
    detail: joined(stageOf(r), field<string>(r, 'status')),
  }),
  Flag: (r) => ({
    title: withoutReferences(conceptText(field<CodeableConcept>(r, 'code'))) ?? 'Alert',
    detail: field<string>(r, 'status'),
  }),
  Patient: (r) => {
    const mrn = mrnsOf(r as Patient)[0];
    const golden = r.meta?.tag?.some((tag) => tag.code === 'golden');
    return {
      title: golden ? 'Person record (all sources)' : 'Patient record',
      detail: mrn ? joined(`MRN ${mrn.value}`, mrn.assigner) : undefined,
    };
  },
  Consent: (r) => {
    const provision = field<{ type?: string; code?: CodeableConcept[] }>(r, 'provision');
    const what = conceptText(provision?.code?.[0]) ?? conceptText(field<CodeableConcept>(r, 'scope'));
    const answer = { permit: 'agreed', deny: 'refused' }[provision?.type ?? ''];
    return { title: `Consent: ${what ?? 'recorded'}`, detail: joined(answer, field<string>(r, 'status')) };
  },
  Coverage: (r) => ({
    title: `Insurance: ${field<{ display?: string }[]>(r, 'payor')?.[0]?.display ?? 'coverage'}`,
    detail: joined(conceptText(field<CodeableConcept>(r, 'type')), field<string>(r, 'status')),
  }),
  Claim: (r) => ({
    title: `Claim: ${conceptText(field<{ productOrService?: CodeableConcept }[]>(r, 'item')?.[0]?.productOrService) ?? 'services'}`,
    detail: joined(moneyText(field<Money>(r, 'total')), field<string>(r, 'status')),
  }),
  ExplanationOfBenefit: (r) => ({
    title: `Insurance decision: ${field<string>(r, 'disposition') ?? field<string>(r, 'outcome') ?? 'claim'}`,
    detail: joined(moneyText(field<{ amount?: Money }>(r, 'payment')?.amount), field<string>(r, 'status')),
  }),
};

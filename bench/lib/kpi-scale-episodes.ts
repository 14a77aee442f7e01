import type { EpisodeOfCare, Extension, Resource } from '@medplum/fhirtypes';

/**
 * Where each person of a generated clinic is in their journeys, as the journey engine writes it
 * (one `EpisodeOfCare` per person and journey, its `journey-stage` extensions the stage history).
 * The demo generator writes none (the engine makes them from events, which the scale build skips),
 * so the KPI sums at scale had no per-stage rows (migration 032) until these were added. Made here
 * in the engine's shape (src/journey/engine/journey-resources.ts), not by running the engine: a
 * history that walks the stages over the past months, so the facts of the window spread over
 * several stages as a live clinic's do. Deterministic by patient id.
 */
const EPISODE = 'https://throughline.dev/fhir/journey/episode';
const JOURNEY = 'https://throughline.dev/fhir/CodeSystem/journey';
const STAGE = 'https://throughline.dev/fhir/StructureDefinition/journey-stage';
const day = 86_400_000;

/** The stage codes of src/journey/definitions/*.json, in order. */
const journeys = {
  'patient-journey': [
    'awareness',
    'research',
    'booking',
    'diagnosis-treatment',
    'post-treatment',
    'continuous-care',
  ],
  'chronic-care': ['diagnosed', 'care-planned', 'monitored'],
};

/** A small deterministic number from an id (FNV-1a), so a rebuild gives the same histories. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function stagePeriod(journey: string, stage: string, start: number, end?: number): Extension {
  const period = {
    start: new Date(start).toISOString(),
    ...(end ? { end: new Date(end).toISOString() } : {}),
  };
  return {
    url: STAGE,
    extension: [
      { url: 'stage', valueCoding: { system: `${JOURNEY}-stage/${journey}`, code: stage } },
      { url: 'period', valuePeriod: period },
    ],
  };
}

/** Stages from a starting one, each 15–134 days, until now (the last one open) or the journey's end. */
function history(journey: keyof typeof journeys, patient: string, now: number): Extension[] {
  const stages = journeys[journey];
  let hash = hashOf(`${patient}/${journey}`);
  const next = (range: number) => {
    hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
    return hash % range;
  };
  let at = now - (60 + next(360)) * day;
  const periods: Extension[] = [];
  for (let index = next(3) % stages.length; index < stages.length; index++) {
    const end = at + (15 + next(120)) * day;
    const last = index === stages.length - 1 || end >= now;
    periods.push(stagePeriod(journey, stages[index]!, at, last ? undefined : end));
    if (last) break;
    at = end;
  }
  return periods;
}

function episode(patient: string, journey: keyof typeof journeys, now: number): EpisodeOfCare {
  return {
    resourceType: 'EpisodeOfCare',
    id: `ep-${journey}-${patient}`,
    identifier: [{ system: EPISODE, value: `${patient}/${journey}` }],
    status: 'active',
    type: [{ coding: [{ system: JOURNEY, code: journey }] }],
    patient: { reference: `Patient/${patient}` },
    extension: history(journey, patient, now),
  };
}

/** Every patient record's patient-journey episode, and a chronic-care one for every third. */
export function journeyEpisodes(resources: Resource[], now: Date): EpisodeOfCare[] {
  return resources
    .filter((resource) => resource.resourceType === 'Patient')
    .flatMap((patient) => {
      const id = patient.id!;
      const chronic = hashOf(id) % 3 === 0 ? [episode(id, 'chronic-care', now.getTime())] : [];
      return [episode(id, 'patient-journey', now.getTime()), ...chronic];
    });
}

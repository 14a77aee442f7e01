import { recordVisitSurveys } from './visit-surveys.ts';
import { recordPatientQuestions } from './patient-questions.ts';
import type { Resource } from '@medplum/fhirtypes';
import { systemClock } from '../kernel/clock.ts';
import type { ClinicContext } from './clinic-context.ts';
import { createClinicDirectory, type SourceKey } from './clinic-directory.ts';
import { todaysMusts } from './clinic-week.ts';
import { chooseConditions } from './diagnoses.ts';
import { noisyCopy, type NoiseKind } from './identity-noise.ts';
import { ageOn, type Journey } from './journey-state.ts';
import { liveMayasStory, mayaAtTheLab, mayaPerson, mayasPortalToDo } from './maya.ts';
import { lookAlike, randomPerson, type Person } from './people.ts';
import { livePersonStory } from './person-story.ts';
import { patientRecord } from './patient-record.ts';
import { createRandom, seedFrom } from './random.ts';
import { recordSchedules } from './schedules.ts';
import { recordCarePlan } from './care-plans.ts';

export interface DemoClinicOptions {
  /** Number of people (Maya included); duplicates add Patient records on top. Default 300. */
  patients?: number;
  seed?: number | string;
  /**
   * The clinic's "today" (its UTC day counts): today's and this week's appointments, this
   * morning's lab results and the reminders due next are placed relative to it. Default: the
   * project clock's current day.
   */
  now?: Date;
}

/**
 * Which records are the same person — the answer key for identity tests and the bench. It is
 * returned beside the data, never written into it: the MPI must find the links itself.
 */
export interface IdentityTruth {
  seed: number;
  /** Every person and all their Patient ids; the first is the GP's record. */
  people: { personKey: string; patientIds: string[] }[];
  /** Second records of the same person and how each drifted from the first. */
  duplicates: { personKey: string; patientId: string; source: SourceKey; noise: NoiseKind[] }[];
  /** Different people who look alike: these pairs must NOT be merged. */
  lookAlikes: {
    personKeys: [string, string];
    patientIds: [string, string];
    kind: 'twin' | 'same-name-different-birth-date';
  }[];
  maya: { gpPatientId: string; labPatientId: string };
}

export interface DemoClinic {
  resources: Resource[];
  truth: IdentityTruth;
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Who lives in the catchment: mostly independent people, ~1.5% made to resemble someone else. */
function generatePeople(ctx: ClinicContext, count: number): Person[] {
  const people: Person[] = [mayaPerson()];
  while (people.length < count) {
    const original =
      people.length > 5 && ctx.random.chance(0.015) ? ctx.random.pick(people.slice(1)) : undefined;
    people.push(
      original
        ? lookAlike(ctx.random, original, people.length)
        : randomPerson(ctx.random, ctx.now, people.length),
    );
  }
  return people;
}

/** ~10% get a second record: mostly at the lab or hospital, now and then a GP front-desk duplicate. */
function secondRecord(ctx: ClinicContext, person: Person, truth: IdentityTruth): Journey['other'] {
  if (!ctx.random.chance(0.1)) return undefined;
  const source = ctx.random.weighted([
    ['lab', 45],
    ['hospital', 40],
    ['gp', 15],
  ] as const);
  const { recorded, noise } = noisyCopy(ctx.random, person);
  const patient = patientRecord(ctx, recorded, source);
  truth.duplicates.push({ personKey: person.key, patientId: patient.id, source, noise });
  return source === 'gp' ? undefined : { source, patient };
}

function startJourney(ctx: ClinicContext, person: Person, truth: IdentityTruth): Journey {
  const gp = patientRecord(ctx, person, 'gp');
  const isMaya = person.key === 'person-maya';
  const other = isMaya
    ? { source: 'lab' as const, patient: patientRecord(ctx, mayaAtTheLab(person), 'lab') }
    : secondRecord(ctx, person, truth);
  if (isMaya && other)
    truth.duplicates.push({
      personKey: person.key,
      patientId: other.patient.id,
      source: 'lab',
      noise: ['phone-changed'],
    });
  const doctor = ctx.random.pick(ctx.directory.gps);
  const age = ageOn(person.birthDate, ctx.now);
  const conditions = isMaya ? [] : chooseConditions(ctx, age);
  const weightKg = age < 18 ? 20 + age * 2.5 : ctx.random.around(person.gender === 'female' ? 70 : 84, 14);
  return { person, gp, other, doctor, conditions, weightKg, visits: [] };
}

/** A person's story, then the care plan that schedules the visits it made (chronic conditions only). */
function livePersonAndPlan(ctx: ClinicContext, journey: Journey): void {
  const before = ctx.resources.length;
  livePersonStory(ctx, journey);
  recordCarePlan(ctx, journey, ctx.resources.slice(before));
}

const noMaya = { gpPatientId: '', labPatientId: '' };

/** Builds the whole demo clinic. Same options → byte-identical resources and truth. */
export function generateDemoClinic(options: DemoClinicOptions = {}): DemoClinic {
  const seed = seedFrom(options.seed ?? 1);
  const ctx = {
    random: createRandom(seed),
    now: startOfDay(options.now ?? systemClock.now()),
    resources: [],
    today: todaysMusts(),
  } as unknown as ClinicContext;
  ctx.directory = createClinicDirectory(ctx);
  const truth: IdentityTruth = { seed, people: [], duplicates: [], lookAlikes: [], maya: { ...noMaya } };
  const gpIds = new Map<string, string>();
  let maya: Journey | undefined;
  const journeys: Journey[] = [];
  for (const person of generatePeople(ctx, Math.max(options.patients ?? 300, 1))) {
    const journey = startJourney(ctx, person, truth);
    journeys.push(journey);
    gpIds.set(person.key, journey.gp.id);
    const others = truth.duplicates.filter((d) => d.personKey === person.key).map((d) => d.patientId);
    truth.people.push({ personKey: person.key, patientIds: [journey.gp.id, ...others] });
    if (person.key === 'person-maya') {
      truth.maya = { gpPatientId: journey.gp.id, labPatientId: journey.other?.patient.id ?? '' };
      liveMayasStory(ctx, journey);
      maya = journey;
    } else livePersonAndPlan(ctx, journey);
    if (person.lookAlikeOf) {
      const { key, kind } = person.lookAlikeOf;
      truth.lookAlikes.push({
        personKeys: [key, person.key],
        patientIds: [gpIds.get(key) ?? '', journey.gp.id],
        kind,
      });
    }
  }
  // Last, so the people's seeded ids stay what they were before the clinic had schedules.
  recordSchedules(ctx);
  if (maya) mayasPortalToDo(ctx, maya);
  recordVisitSurveys(ctx, journeys);
  recordPatientQuestions(ctx, journeys);
  return { resources: ctx.resources, truth };
}

import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import {
  CHANNELS,
  PURPOSES,
  type CampaignLaunch,
  type CampaignPlan,
  type Channel,
  type DecisionDeps,
} from '../engagement/index.ts';
import type { JourneyCatalog } from '../journey/index.ts';
import { forEachConcurrently } from '../kernel/concurrency.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import { cohortAskedOf, cohortPatients, describeCohort } from './campaign-cohort.ts';
import { oneOf, text, type Body } from './routes/body-fields.ts';

const DEFAULT_PER_HOUR = 600;

const invalid = (message: string, field: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression: field });

/**
 * A campaign as asked over HTTP: the plan from the body (each field checked, a bad one named),
 * the cohort found with the caller's own store (they reach only the patients they may read;
 * `campaign-cohort.ts`: a FHIR search, a journey stage, an open care gap, or all of these),
 * and its id: the `Idempotency-Key` header when given, so a retried launch is the same campaign.
 */
export async function campaignLaunchOf(
  request: FastifyRequest,
  context: { now: Date; personOf: DecisionDeps['personOf']; catalog: JourneyCatalog },
): Promise<CampaignLaunch> {
  const body = request.body as Body;
  const plan = planOf(body, context.now);
  const cohort = cohortAskedOf(body?.cohort);
  const patients = await cohortPatients(request.fhir, {
    cohort,
    catalog: context.catalog,
    asPersons: (found) => onePerPerson(found, context.personOf),
  });
  return {
    id: campaignIdOf(request),
    plan: { ...plan, cohort: describeCohort(cohort, context.catalog) },
    patients,
    now: context.now,
  };
}

/**
 * One request per person, not per record: a person found through two linked records (a source
 * record and identity's golden one) is messaged once, as their golden record. Records that
 * stand for nobody to contact stay, so the preview can say why they get nothing.
 */
async function onePerPerson(patients: string[], personOf: DecisionDeps['personOf']): Promise<string[]> {
  const chosen = new Map<string, string>();
  await forEachConcurrently(patients, 8, async (reference) => {
    const person = await personOf(reference.slice('Patient/'.length));
    chosen.set(reference, person?.patient.id ? `Patient/${person.patient.id}` : reference);
  });
  return [...new Set(patients.map((reference) => chosen.get(reference)!))];
}

function planOf(body: Body, now: Date): Omit<CampaignPlan, 'cohort'> {
  const perHour = body?.perHour ?? DEFAULT_PER_HOUR;
  if (!Number.isInteger(perHour) || (perHour as number) < 1 || (perHour as number) > 100_000)
    throw invalid('perHour must be a whole number from 1 to 100000', 'perHour');
  const startAt = body?.startAt === undefined ? now.toISOString() : String(body.startAt);
  if (Number.isNaN(Date.parse(startAt)) || !/T.*(Z|[+-]\d\d:\d\d)$/.test(startAt))
    throw invalid('startAt must be an instant with its offset (2026-12-07T09:00:00Z)', 'startAt');
  return {
    name: text(body, 'name', 120),
    purpose: oneOf(body, 'purpose', PURPOSES),
    ...(body?.channel === undefined ? {} : { channel: oneOf<Channel>(body, 'channel', CHANNELS) }),
    ...(body?.text === undefined ? {} : { text: text(body, 'text') }),
    perHour: perHour as number,
    startAt: new Date(Date.parse(startAt)).toISOString(),
  };
}

function campaignIdOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return randomUUID();
  if (typeof key !== 'string' || !/^[A-Za-z0-9\-._]{8,64}$/.test(key))
    throw invalid('Idempotency-Key must be 8 to 64 letters, digits, - . _', 'Idempotency-Key');
  return key;
}

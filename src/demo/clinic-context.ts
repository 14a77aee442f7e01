import type { Reference, Resource } from '@medplum/fhirtypes';
import type { Random } from './random.ts';
import type { ClinicDirectory } from './clinic-directory.ts';
import type { TodaysMusts } from './clinic-week.ts';

/** What every part of the generator shares while building one clinic. */
export interface ClinicContext {
  random: Random;
  /** The generator's "today": visits lie before it, some appointments after it. */
  now: Date;
  directory: ClinicDirectory;
  resources: Resource[];
  /** Bookings and lab results today must show, handed to the first people who fit. */
  today: TodaysMusts;
}

export type Stored<T extends Resource> = T & { id: string };

/**
 * Gives the resource a seeded id and adds it to the clinic's output. The JSON round trip drops
 * `undefined` members, so builders may write `prefix: cond ? [...] : undefined` freely.
 */
export function emit<T extends Resource>(ctx: ClinicContext, resource: T): Stored<T> {
  const { resourceType, ...content } = resource;
  const stored = JSON.parse(JSON.stringify({ resourceType, id: ctx.random.uuid(), ...content })) as Stored<T>;
  ctx.resources.push(stored);
  return stored;
}

export function ref<T extends Resource>(resource: Stored<T>, display?: string): Reference<T> {
  const reference = `${resource.resourceType}/${resource.id}`;
  return display === undefined ? { reference } : { reference, display };
}

const dayMs = 86_400_000;

/** A time of day in UTC; an hour alone means on the hour. */
export interface TimeOfDay {
  hour: number;
  minute?: number;
}

/** An instant `days` from now (negative: in the past) at a clinic-hours time, in UTC. */
export function instant(ctx: ClinicContext, days: number, time: TimeOfDay = { hour: 9 }): string {
  const base = new Date(Math.floor(ctx.now.getTime() / dayMs) * dayMs + days * dayMs);
  base.setUTCHours(time.hour, time.minute ?? 0, 0, 0);
  return base.toISOString().replace('.000Z', 'Z');
}

/** Adds minutes to an instant produced by `instant`. */
export function plusMinutes(at: string, minutes: number): string {
  return new Date(Date.parse(at) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

export function dateOf(at: string): string {
  return at.slice(0, 10);
}

/** A clinic-hours slot: weekdays only would need a calendar; any day 8:00–16:40 is enough for a demo. */
export function clinicSlot(ctx: ClinicContext, days: number): string {
  return instant(ctx, days, { hour: ctx.random.int(8, 16), minute: ctx.random.pick([0, 20, 40]) });
}

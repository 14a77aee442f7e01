import { toTypedValue, type TypedValue } from '@medplum/core';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import type { Variables } from './fhirpath.ts';
import { resolveRelativeDate } from './relative-dates.ts';

/** One person's record, ready for FHIRPath: a `collection` Bundle, `%record`, `%now`, `%today`. */
export interface RecordContext {
  input: TypedValue;
  variables: Variables;
  now: Date;
}

export function createRecordContext(resources: Resource[], now: Date): RecordContext {
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: resources.map((resource) => ({ resource })),
  };
  const input = toTypedValue(bundle);
  return {
    input,
    now,
    variables: {
      '%record': input,
      '%now': { type: 'dateTime', value: now.toISOString() },
      '%today': { type: 'date', value: now.toISOString().slice(0, 10) },
    },
  };
}

/** The record's variables plus a definition's named dates (`"sixMonthsAgo": "-P6M"`). */
export function variablesWith(
  context: RecordContext,
  dates: Record<string, string> | undefined,
  extra: Variables = {},
): Variables {
  const named = Object.fromEntries(
    Object.entries(dates ?? {}).map(([name, duration]) => [
      `%${name}`,
      { type: 'date', value: resolveRelativeDate(duration, context.now) },
    ]),
  );
  return { ...context.variables, ...named, ...extra };
}

/** Deceased people get no outreach, gaps or pain points. */
export function isDeceased(resources: Resource[]): boolean {
  return resources.some(
    (resource) =>
      resource.resourceType === 'Patient' &&
      ((resource as Patient).deceasedBoolean === true || Boolean((resource as Patient).deceasedDateTime)),
  );
}

import { ThroughlineError } from '../../kernel/errors.ts';

/** A JSON request body as the routes read it: each field checked, a bad one named in the 400. */
export type Body = Record<string, unknown> | undefined;

export function oneOf<T extends string>(body: Body, field: string, allowed: readonly T[]): T {
  const value = body?.[field];
  if (typeof value !== 'string' || !allowed.includes(value as T))
    throw new ThroughlineError('INVALID_REQUEST', `${field} must be one of ${allowed.join(', ')}`, {
      expression: field,
    });
  return value as T;
}

/** Text of 1 to `max` characters (default 1600: ten SMS segments). */
export function text(body: Body, field: string, max = 1600): string {
  const value = body?.[field];
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw new ThroughlineError('INVALID_REQUEST', `${field} must be text of 1 to ${max} characters`, {
      expression: field,
    });
  return value;
}

export function patientRef(body: Body): string {
  const value = body?.patient;
  if (typeof value !== 'string' || !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(value))
    throw new ThroughlineError('INVALID_REQUEST', 'patient must be Patient/{id}', { expression: 'patient' });
  return value;
}

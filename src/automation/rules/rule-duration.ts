import type { Duration } from '@medplum/fhirtypes';

/** UCUM time units a wait may use, in milliseconds. */
const UNIT_MS: Record<string, number> = {
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  wk: 7 * 86_400_000,
};

/** A Duration in milliseconds, or undefined when it is not a positive time in a known unit. */
export function durationMs(duration: Duration | undefined): number | undefined {
  const unit = UNIT_MS[duration?.code ?? duration?.unit ?? ''];
  const value = duration?.value;
  if (!unit || typeof value !== 'number' || !(value > 0)) return undefined;
  return value * unit;
}

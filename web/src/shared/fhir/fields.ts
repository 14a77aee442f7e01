import { plainUnit } from './units.ts';
import type { CodeableConcept, Quantity, Resource } from './types.ts';

/** One element of a resource the app has no type for, read as what the caller expects. */
export const field = <T>(resource: Resource, name: string) => resource[name] as T | undefined;

/** The first of a resource's CodeableConcept[] elements (`type`, `category`, `serviceType`). */
export const firstConcept = (resource: Resource, name: string) =>
  field<CodeableConcept[]>(resource, name)?.[0];

export function quantityText(quantity: Quantity | undefined): string | undefined {
  if (quantity?.value === undefined) return undefined;
  return `${quantity.value} ${plainUnit(quantity.unit ?? quantity.code)}`.trim();
}

export interface Money {
  value?: number;
  currency?: string;
}

/** `{ value: 240, currency: 'USD' }` → "US$240.00" (en-GB names the dollar), a bare number without a currency. */
export function moneyText(money: Money | undefined): string | undefined {
  if (money?.value === undefined) return undefined;
  if (!money.currency) return String(money.value);
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: money.currency }).format(money.value);
}

/** A literal reference in parentheses, "(DiagnosticReport/f2931f06-…)": a type, then an id with a digit. */
const REFERENCE_IN_PARENTHESES = /\s*\([A-Z][A-Za-z]+\/(?=[A-Za-z.-]*\d)[A-Za-z0-9.-]{1,64}\)/g;

/**
 * Text for people: a reference that a server wrote into a `text` to keep two items apart
 * (a journey signal's "… within 7 days (DiagnosticReport/f2931f06-…)") says nothing to a
 * reader, and is left out of what is shown. The resource keeps it.
 */
export function withoutReferences(text: string | undefined): string | undefined {
  const cleaned = text?.replace(REFERENCE_IN_PARENTHESES, '').trim();
  return cleaned || undefined;
}

/** "appointment-reminder" → "appointment reminder". */
export const codeWords = (code: string | undefined) => code?.replace(/[-_]/g, ' ');

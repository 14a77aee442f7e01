import { normalizeSearchString } from '../../fhir/search-normalize.ts';
import { parseDateRange } from '../../fhir/search-date-range.ts';
import type { FoundValue } from './compile-path.ts';

/**
 * Turns values found by a search-parameter expression into index values, one function per
 * index table. Types are read from the value's shape (a CodeableConcept has `coding`, a Period
 * `start`/`end`), so the fast path does not need element definitions.
 */
type Json = Record<string, unknown>;

export type TokenEmit = (system: string | null, value: string | null, display: string | null) => void;
export type StringEmit = (value: string) => void;
export type DateEmit = (low: string, high: string) => void;
/** One `search_number` value: a point (low = high) or a Range, with the Quantity's unit. */
export interface NumberIndexValue {
  low: number | null;
  high: number | null;
  system: string | null;
  code: string | null;
  unit: string | null;
}
export type NumberEmit = (value: NumberIndexValue) => void;
/** One `search_reference` value: the typed target when the reference names one, and `Reference.identifier`. */
export interface ReferenceIndexValue {
  targetType: string | null;
  targetId: string | null;
  reference: string | null;
  identifier: { system: string | null; value: string } | null;
}
export type ReferenceEmit = (value: ReferenceIndexValue) => void;

const contactSystems = new Set(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other']);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const norm = (value: unknown): string | null =>
  typeof value === 'string' ? normalizeSearchString(value) : null;

export function tokenValues(found: FoundValue, emit: TokenEmit): void {
  const value = found.value;
  if (typeof value === 'string') return emit(null, value, null);
  if (typeof value === 'boolean' || typeof value === 'number') return emit(null, String(value), null);
  if (!value || typeof value !== 'object') return;
  const object = value as Json;
  if (Array.isArray(object.coding) || (typeof object.text === 'string' && !('value' in object))) {
    return conceptValues(object, emit);
  }
  if ('code' in object) return emit(str(object.system), str(object.code), norm(object.display));
  if ('value' in object) {
    // ContactPoint.system is a kind of channel (phone, email), not a namespace.
    const system = str(object.system);
    const isContact = system !== null && contactSystems.has(system);
    const typeText = (object.type as Json | undefined)?.text;
    return emit(isContact ? null : system, valueText(object.value), norm(typeText));
  }
}

/**
 * One row per coding; `CodeableConcept.text` joins each coding's display (`:text` searches
 * both) instead of a row of its own, which would double the token rows of every concept.
 */
function conceptValues(concept: Json, emit: TokenEmit): void {
  const codings = (concept.coding ?? []) as Json[];
  const text = typeof concept.text === 'string' ? concept.text : undefined;
  if (codings.length === 0) return text === undefined ? undefined : emit(null, null, norm(text));
  for (const coding of codings) {
    const display = [str(coding.display), text].filter((part) => part).join(' ');
    emit(str(coding.system), str(coding.code), display ? normalizeSearchString(display) : null);
  }
}

function valueText(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

const stringParts = ['family', 'given', 'prefix', 'suffix', 'text', 'line', 'city', 'district', 'state'];
const moreParts = ['postalCode', 'country', 'name', 'value'];

export function stringValues(found: FoundValue, emit: StringEmit): void {
  const value = found.value;
  if (typeof value === 'string') return emit(value);
  if (!value || typeof value !== 'object') return;
  for (const key of stringParts.concat(moreParts)) {
    const part = (value as Json)[key];
    if (typeof part === 'string') emit(part);
    else if (Array.isArray(part)) for (const item of part) if (typeof item === 'string') emit(item);
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function dateValues(found: FoundValue, emit: DateEmit): void {
  const value = found.value;
  if (typeof value === 'string') {
    const range = parseDateRange(value);
    if (range) emit(iso(range.low), iso(range.high));
    return;
  }
  if (!value || typeof value !== 'object') return;
  const object = value as Json;
  if ('start' in object || 'end' in object) return periodValues(object, emit);
  for (const event of (object.event ?? []) as unknown[]) dateValues({ value: event }, emit);
  const repeat = object.repeat as Json | undefined;
  if (repeat?.boundsPeriod) periodValues(repeat.boundsPeriod as Json, emit);
}

function periodValues(period: Json, emit: DateEmit): void {
  const start = typeof period.start === 'string' ? parseDateRange(period.start) : undefined;
  const end = typeof period.end === 'string' ? parseDateRange(period.end) : undefined;
  if (!start && !end) return;
  emit(start ? iso(start.low) : '-infinity', end ? iso(end.high) : 'infinity');
}

export function numberValues(found: FoundValue, emit: NumberEmit): void {
  const value = found.value;
  if (typeof value === 'number')
    return emit({ low: value, high: value, system: null, code: null, unit: null });
  if (!value || typeof value !== 'object') return;
  const object = value as Json;
  if (typeof object.value === 'number') {
    const code = str(object.code) ?? str(object.currency);
    return emit({
      low: object.value,
      high: object.value,
      system: str(object.system),
      code,
      unit: str(object.unit),
    });
  }
  if ('low' in object || 'high' in object) {
    const low = object.low as Json | undefined;
    const high = object.high as Json | undefined;
    const unit = low ?? high ?? {};
    const bound = (quantity: Json | undefined): number | null =>
      typeof quantity?.value === 'number' ? quantity.value : null;
    emit({
      low: bound(low),
      high: bound(high),
      system: str(unit.system),
      code: str(unit.code),
      unit: str(unit.unit),
    });
  }
}

const typedReference = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** `Patient/1`, `http://x/fhir/Patient/1/_history/2` → (Patient, 1); canonicals keep their URL. */
export function parseReference(reference: string): { type: string; id: string } | undefined {
  const match = typedReference.exec(reference.split('|')[0]!);
  return match ? { type: match[1]!, id: match[2]! } : undefined;
}

export function referenceValues(found: FoundValue, emit: ReferenceEmit): void {
  const value = found.value;
  const reference = typeof value === 'string' ? value : str((value as Json | undefined)?.reference);
  const identifier = typeof value === 'object' ? ((value as Json).identifier as Json | undefined) : undefined;
  const identifierValue = str(identifier?.value);
  if (!reference && !identifierValue) return;
  const target = reference ? parseReference(reference) : undefined;
  emit({
    targetType: target?.type ?? str((value as Json).type),
    targetId: target?.id ?? null,
    reference,
    identifier: identifierValue ? { system: str(identifier?.system), value: identifierValue } : null,
  });
}

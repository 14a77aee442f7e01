import { isValidCalendarDate, validationRegexes } from '@medplum/core';

/**
 * Whether Medplum's validator accepts a primitive value of a FHIR type (its
 * `validatePrimitiveType`, which is private): the JS type was checked by the caller; here the
 * string, number and base64Binary rules, with Medplum's own regexes and calendar check.
 */
export function isValidPrimitive(type: string, value: string | number | boolean): boolean {
  if (typeof value === 'string') {
    return type === 'base64Binary' ? isValidBase64BinaryValue(value) : isValidString(type, value);
  }
  if (typeof value === 'number') return isValidNumber(type, value);
  return true;
}

/** FHIR strings are at most 1 MB (https://hl7.org/fhir/R4/datatypes.html#string). */
const MAX_STRING_LENGTH = 1024 * 1024;
/** Medplum's default `base64BinaryMaxBytes` (1 MiB decoded). */
const MAX_BASE64_BYTES = 1024 * 1024;
const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);

function isValidString(type: string, value: string): boolean {
  if (!value.trim() || value.length > MAX_STRING_LENGTH) return false;
  const regex = validationRegexes[type];
  if (regex && !regex.exec(value)) return false;
  return !DATE_TYPES.has(type) || isValidCalendarDate(value);
}

/** FHIR integer range (https://hl7.org/fhir/R4/datatypes.html#integer). */
const INTEGER_MIN = -2_147_483_648;
const INTEGER_MAX = 2_147_483_647;
const INTEGER_LOWER_BOUND: Record<string, number> = { integer: INTEGER_MIN, positiveInt: 1, unsignedInt: 0 };

function isValidNumber(type: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const lower = INTEGER_LOWER_BOUND[type];
  if (lower === undefined) return true;
  return Number.isInteger(value) && value >= lower && value <= INTEGER_MAX;
}

/**
 * Medplum's base64Binary rule (alphabet, padding, length a multiple of 4, ≤ 1 MiB decoded),
 * written without a backtracking regex over the padding as Medplum's is.
 */
function isValidBase64BinaryValue(value: string): boolean {
  if (value.length === 0) return false;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  if (value.length % 4 !== 0) return false;
  const data = padding > 0 ? value.slice(0, -padding) : value;
  if (!/^[A-Za-z\d+/]+$/.test(data)) return false;
  return Math.max(0, Math.floor((value.length * 3) / 4) - padding) <= MAX_BASE64_BYTES;
}

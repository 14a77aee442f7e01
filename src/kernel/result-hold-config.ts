import { optional, integerField, type FieldSpec } from './config-fields.ts';

/**
 * The clinic's hold on results (issue 20): by default a final result reaches the patient at
 * once (21st Century Cures Act); a clinic may hold chosen kinds for its clinicians to review
 * and call first. Read by the access checkpoint (what a patient may see) and automation (when
 * the results-ready notice goes).
 */
export interface ResultHoldConfig {
  /** Hours a final result stays hidden from the patient after `issued`, unless released sooner (0: none). */
  resultHoldHours: number;
  /** Category codes held (`laboratory`, `imaging`, `LAB`, `RAD`); empty with no codes: every result. */
  resultHoldCategories: string[];
  /** LOINC codes held (`3016-3`), whatever their category. */
  resultHoldCodes: string[];
}

function codeList(raw: string | undefined): string[] {
  const value = optional(raw);
  if (!value) return [];
  const codes = value.split(',').map((part) => part.trim());
  if (codes.some((code) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(code)))
    throw new Error(`RESULT_HOLD_CATEGORIES and RESULT_HOLD_CODES are comma-separated codes, got "${value}"`);
  return codes;
}

export const resultHoldSchema: { [K in keyof ResultHoldConfig]: FieldSpec<ResultHoldConfig[K]> } = {
  resultHoldHours: integerField('RESULT_HOLD_HOURS', { fallback: 0, min: 0, max: 24 * 30 }),
  resultHoldCategories: { env: 'RESULT_HOLD_CATEGORIES', parse: codeList },
  resultHoldCodes: { env: 'RESULT_HOLD_CODES', parse: codeList },
};

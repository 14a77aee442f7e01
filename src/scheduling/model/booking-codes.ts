/** When a hold (a `busy-tentative` Slot from `$hold`) lapses: after it, the time counts as free again. */
export const HOLD_EXPIRES_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/hold-expires';
/** How long a `$hold` keeps a time when the caller names no `expires`. */
export const DEFAULT_HOLD_MINUTES = 10;
/** Tag of a Slot whose booking was cancelled or moved: free again, but no opening of its own. */
export const RELEASED_TAG = {
  system: 'https://throughline.dev/fhir/CodeSystem/scheduling',
  code: 'released',
};

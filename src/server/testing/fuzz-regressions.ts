import type { FuzzInput } from './fuzz-send.ts';

/**
 * Inputs the fuzz test (`fuzz.test.ts`) found answering 5xx, kept verbatim and replayed on
 * every run. Add each new one here with the fix that makes it a 4xx.
 */
export const FUZZ_REGRESSIONS: FuzzInput[] = [];

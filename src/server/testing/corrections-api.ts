import type { OperationOutcome } from '@medplum/fhirtypes';
import type { CorrectionView } from '../portal-corrections.ts';
import type { TestPlatform } from './test-platform.ts';

/** What the correction routes answer: her request, her list, or the issues of a refusal. */
export interface CorrectionsAnswer {
  correction: CorrectionView;
  corrections: CorrectionView[];
  issue?: OperationOutcome['issue'];
}

/**
 * Her requests to correct her record, as the portal makes them (`/api/portal/corrections`), on
 * `suite.platform` as it is at each call (a suite sets it in its `before`).
 */
export function portalCorrections(suite: { platform: TestPlatform }) {
  return {
    /** She asks for a correction (`body`: description and, optionally, the item's reference). */
    ask: (token: string, body: unknown) =>
      suite.platform.call<CorrectionsAnswer>('/api/portal/corrections', { token, body }),
    /** Her requests with their status. */
    list: (token: string) => suite.platform.call<CorrectionsAnswer>('/api/portal/corrections', { token }),
  };
}

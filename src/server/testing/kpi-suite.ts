import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { fixedClock } from '../../kernel/clock.ts';
import type { TestBackend } from '../../store/testing/backends.ts';
import { staffToken } from './role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './test-platform.ts';

/** A KPI figure as `GET /api/analytics/kpis` answers it. */
export interface KpiFigure {
  value: number | null;
  numerator: number;
  denominator: number | null;
  groups?: Record<string, KpiFigure>;
}
export interface KpiBucket extends KpiFigure {
  bucket: string;
  /** The drill-down link to the patients behind the figure. */
  patients: string;
}

/** A generator's true count as the KPI answer gives it: the rate rounded to 4 places. */
export const rate = ({ numerator, denominator }: { numerator: number; denominator: number }) => ({
  value: Math.round((numerator / denominator) * 10_000) / 10_000,
  numerator,
  denominator,
});
export const figureOf = ({ value, numerator, denominator }: KpiFigure) => ({ value, numerator, denominator });

/**
 * One platform per suite on a fixed day, a generated clinic imported into it, and the practice
 * manager's KPI answer for November 2026 (`november(query)` → the bucket of a KPI, by id). `env`
 * configures the platform (`BACKGROUND_WORKER: 'off'`: no reactions; the KPI request catches up).
 */
export function kpiClinicPerSuite(
  backend: TestBackend,
  clinic: { resources: Resource[]; now: string },
  env: Record<string, string> = {},
) {
  const suite = { platform: undefined as unknown as TestPlatform, manager: '' };
  before(async () => {
    suite.platform = await startTestPlatform(backend, env, { clock: fixedClock(clinic.now) });
    await suite.platform.repository.importResources(clinic.resources);
    suite.manager = await staffToken(suite.platform, 'practice-manager');
  });
  after(() => suite.platform.stop());
  const november = async (query = '') => {
    const response = await suite.platform.fetch(
      `/api/analytics/kpis?period=month&from=2026-11-01&to=2026-11-30${query}`,
      { token: suite.manager },
    );
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { kpis: { id: string; buckets: KpiBucket[] }[] };
    return (id: string) =>
      answer.kpis.find((kpi) => kpi.id === id)?.buckets.find((bucket) => bucket.bucket === '2026-11');
  };
  /** The ids of the patients behind a figure (its drill-down link), sorted. */
  const patientsBehind = async (link: string) => {
    const response = await suite.platform.fetch(link, { token: suite.manager });
    assert.equal(response.status, 200);
    return ((await response.json()) as { patients: { id: string }[] }).patients.map((p) => p.id).sort();
  };
  return { suite, november, patientsBehind };
}

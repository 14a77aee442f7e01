// The order the test files start in. Two run at a time (two cores in CI): a long file that
// starts last runs alone at the end with the other core idle, so the known-long ones go first,
// longest first, and the many short ones fill the gaps after them. The list is by hand, from
// per-file timings (session 2026-12-06): a file that is missing here just starts in its
// alphabetical place; keep it to the files that take tens of seconds.
export const LONGEST_FIRST = [
  'src/cli/start-command.test.ts',
  'src/server/synthea-platform.test.ts',
  'src/server/access-paths.test.ts',
  'src/server/database-faults.test.ts',
  'src/server/demo-outreach.test.ts',
  'src/server/engagement-crash.test.ts',
  'src/server/mllp-crash.test.ts',
  'src/access/audit-chain.test.ts',
  'src/engagement/engine/coalesced-consents.test.ts',
  'src/engagement/engine/coalesced-reads.test.ts',
  'src/server/fuzz.test.ts',
  'src/identity/model/train-model.test.ts',
  'src/cli/hl7-command.test.ts',
  'src/demo/seed-demo-clinic.test.ts',
  'src/demo/import-demo-clinic.test.ts',
  'src/identity/merge/concurrent-merges.test.ts',
  'src/automation/batch/write-extract.test.ts',
  'src/server/analytics-kpis.test.ts',
  'src/server/analytics-kpi-facts.test.ts',
  'src/server/analytics-kpi-sums.test.ts',
  'src/server/adherence-kpis.test.ts',
  'src/server/satisfaction-kpis.test.ts',
  'src/ingest/hl7v2/receive-batch.test.ts',
];

/** The files in start order: the listed long ones first (in list order), then the rest, browser tests first. */
export function inStartOrder(files: string[]): string[] {
  const rank = (file: string) => {
    const listed = LONGEST_FIRST.indexOf(file);
    if (listed >= 0) return listed;
    // Each browser test file starts a platform and a Chromium: longer than most server files.
    return file.startsWith('web/e2e/') ? LONGEST_FIRST.length : LONGEST_FIRST.length + 1;
  };
  return files.toSorted((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

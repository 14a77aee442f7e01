// `npm run bench`: every benchmark of the platform, one after another. Identity accuracy has its
// own command (`npm run bench:identity`) because it takes longer.
import { spawnSync } from 'node:child_process';

const suites = [
  'bench/fhir-store.ts',
  'bench/search-index.ts',
  'bench/hl7v2-parse.ts',
  'bench/hl7v2-mllp.ts',
  'bench/embedded-responsiveness.ts',
  'bench/journey.ts',
  'bench/noshow-score.ts',
  'bench/scheduling.ts',
  'bench/automation-rules.ts',
  'bench/analytics.ts',
];
const args = process.argv.slice(2);
// Each suite takes the database names it understands (pglite, postgres) from the arguments.
let failed = false;
for (const suite of suites) {
  console.log(`\n## ${suite}\n`);
  const result = spawnSync(process.execPath, [suite, ...args], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgliteBackend } from '../store/testing/backends.ts';
import { seededRandom } from './testing/fuzz-random.ts';
import { FUZZ_REGRESSIONS } from './testing/fuzz-regressions.ts';
import { fuzzInput, problemOf, send, type FuzzInput, type Target } from './testing/fuzz-send.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * Issue 13 item 4: no input answers 5xx, crashes or hangs the platform. Random and mutated FHIR
 * JSON (resources, Bundles, operation and `/api`/`/auth` bodies), search and view URLs, HL7 v2
 * messages over HTTP and MLLP byte streams go at one running platform, bounded by time AND by
 * count; then the platform must still serve. Every input that once failed is kept in
 * `testing/fuzz-regressions.ts` and replayed first.
 *
 * The budget is a constant (CI: under 60 s on two busy cores, start-up included). For a longer
 * local hunt: `FUZZ_SECONDS=300 FUZZ_SEED=7 npx node --test src/server/fuzz.test.ts`.
 */
const FUZZ_BUDGET = { maxInputs: 3000, maxMillis: 15_000 };
const budget = {
  maxInputs: process.env.FUZZ_SECONDS ? Infinity : FUZZ_BUDGET.maxInputs,
  maxMillis: process.env.FUZZ_SECONDS ? Number(process.env.FUZZ_SECONDS) * 1000 : FUZZ_BUDGET.maxMillis,
};
const SEED = Number(process.env.FUZZ_SEED ?? 1304);

interface Failure {
  problem: string;
  input: FuzzInput;
  answer: string;
}

async function judge(target: Target, input: FuzzInput): Promise<Failure | undefined> {
  try {
    const answer = await send(target, input);
    const problem = problemOf(answer);
    return problem ? { problem, input, answer: answer.text.slice(0, 400) } : undefined;
  } catch (error) {
    return { problem: `no answer: ${(error as Error).message}`, input, answer: '' };
  }
}

const describeFailures = (failures: Failure[]) =>
  failures
    .map((f) => `${f.problem}\n  input: ${JSON.stringify(f.input).slice(0, 1500)}\n  answer: ${f.answer}`)
    .join('\n');

describe('fuzz: nothing answers 5xx, crashes or hangs [pglite]', { timeout: 120_000 }, () => {
  let platform: TestPlatform;
  let target: Target;
  before(async () => {
    platform = await startTestPlatform(pgliteBackend);
    target = { url: platform.url, mllpPort: platform.mllpPort, token: await platform.token() };
    await platform.create({
      resourceType: 'Patient',
      id: 'fz-patient-1',
      name: [{ family: 'Fuzz' }],
    } as never);
  });
  after(() => platform.stop());

  test('each input that once gave a 5xx is a 4xx now', async () => {
    const failures: Failure[] = [];
    for (const input of FUZZ_REGRESSIONS) {
      const failure = await judge(target, input);
      if (failure) failures.push(failure);
    }
    assert.deepEqual(failures, [], describeFailures(failures));
  });

  test(`random and mutated input within ${FUZZ_BUDGET.maxMillis / 1000} s / ${FUZZ_BUDGET.maxInputs} inputs`, async () => {
    const random = seededRandom(SEED);
    const started = Date.now();
    const failures: Failure[] = [];
    const tried: Record<FuzzInput['kind'], number> = { http: 0, hl7: 0, mllp: 0 };
    let count = 0;
    while (count < budget.maxInputs && Date.now() - started < budget.maxMillis) {
      const input = fuzzInput(random);
      count++;
      tried[input.kind]++;
      const failure = await judge(target, input);
      if (failure) failures.push(failure);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz: ${count} inputs tried in ${seconds} s (seed ${SEED}; HTTP ${tried.http}, HL7 over HTTP ${tried.hl7}, MLLP ${tried.mllp}); ${failures.length} failed`,
    );
    assert.deepEqual(failures, [], describeFailures(failures));
  });

  test('the platform still serves afterwards', async () => {
    assert.equal((await platform.fetch('/fhir/metadata')).status, 200);
    assert.equal((await platform.fetch('/fhir/Patient?_count=1')).status, 200);
    const id = await platform.create({ resourceType: 'Patient', name: [{ family: 'After' }] } as never);
    assert.equal((await platform.fetch(`/fhir/Patient/${id}`)).status, 200);
    const ack = await send(target, { kind: 'mllp', base64: '', chunks: 1 });
    assert.match(ack.text, /^ACKs .*AA/);
  });
});

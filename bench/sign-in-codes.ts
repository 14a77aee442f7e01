// Sign-in codes (issue 20): does the answer's timing tell whether an account exists?
// `POST /auth/code/request` and `/auth/code/verify` (a wrong code) for a real patient account
// and for unknown identifiers, interleaved one for one so both meet the same machine load;
// client-side latency over loopback, p50 / p95 / mean of each.
//   npx node bench/sign-in-codes.ts [pglite|postgres] [--count=200]
import { loadavg } from 'node:os';
import { startSmtpSink } from '../src/engagement/testing/smtp-sink.ts';
import { pgliteBackend, postgresBackend } from '../src/store/testing/backends.ts';
import { addPatientAccount, postCode } from '../src/server/testing/sign-in-code-flows.ts';
import { startTestPlatform } from '../src/server/testing/test-platform.ts';
import { ms, percentile } from './lib/stats.ts';

const backend = process.argv[2] === 'postgres' ? postgresBackend : pgliteBackend;
const countArg = process.argv.find((a) => a.startsWith('--count='));
const COUNT = countArg ? Number(countArg.slice(8)) : 200;

function summary(samples: number[]): string {
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return `p50 ${ms(percentile(samples, 50))} ms, p95 ${ms(percentile(samples, 95))} ms, mean ${ms(mean)} ms`;
}

const smtp = await startSmtpSink();
const platform = await startTestPlatform(backend, {
  SMTP_URL: smtp.url,
  SIGN_IN_CODE_REQUESTS_PER_IDENTIFIER: '10000',
  SIGN_IN_CODE_VERIFIES_PER_IDENTIFIER: '10000',
  SIGN_IN_CODE_ATTEMPTS_PER_ADDRESS: '1000000',
});
try {
  const account = await addPatientAccount(platform);
  const timed = async (step: 'request' | 'verify', identifier: string) => {
    const started = performance.now();
    const answer = await postCode(platform, { step, body: { identifier, code: '000000' } });
    if (answer.status !== (step === 'request' ? 202 : 401)) throw new Error(`${step}: ${answer.status}`);
    return performance.now() - started;
  };
  const samples = {
    request: { known: [] as number[], unknown: [] as number[] },
    verify: { known: [] as number[], unknown: [] as number[] },
  };
  for (const step of ['request', 'verify'] as const)
    for (let n = 0; n < COUNT; n++) {
      // Alternate which goes first, so neither always follows the other's background work.
      const order = n % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
      for (const who of order)
        samples[step][who].push(
          await timed(step, who === 'known' ? account.email : `nobody-${n}@example.test`),
        );
    }
  console.log(
    `sign-in codes on ${backend.name}, ${COUNT} of each, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const step of ['request', 'verify'] as const)
    for (const who of ['known', 'unknown'] as const)
      console.log(`  ${step} ${who}: ${summary(samples[step][who])}`);
  console.log(`  mails received: ${smtp.mails.length} (the known account's requests only)`);
} finally {
  await platform.stop();
  await smtp.close();
}

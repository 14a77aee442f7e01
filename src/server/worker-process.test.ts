import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { postgresBackend, postgresSkipReason } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const cli = 'src/cli/main.ts';

test('throughline worker refuses to start on the embedded database', () => {
  const run = spawnSync(process.execPath, [cli, 'worker'], {
    env: { ...process.env, DATABASE_URL: '' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /needs DATABASE_URL/);
});

describe(
  'BACKGROUND_WORKER=off with a throughline worker beside it [postgres]',
  { skip: postgresSkipReason },
  () => {
    let platform: TestPlatform;
    let worker: ChildProcess | undefined;
    before(async () => {
      platform = await startTestPlatform(postgresBackend, { BACKGROUND_WORKER: 'off' });
    });
    after(async () => {
      worker?.kill('SIGKILL');
      await platform.stop();
    });

    const episodesOf = async (patientId: string) =>
      ((await (await platform.fetch(`/fhir/EpisodeOfCare?patient=${patientId}`)).json()) as Bundle).entry ??
      [];

    test('the platform writes and answers but reacts to nothing; the worker process reacts, then stops on SIGTERM', async () => {
      const patient: Patient = {
        resourceType: 'Patient',
        name: [{ family: 'Apart', given: ['Worker'] }],
        birthDate: '1980-02-03',
      };
      const patientId = await platform.create(patient);
      assert.equal(await platform.worker.drain(), 0, 'no reactions in the platform process');
      assert.equal((await episodesOf(patientId)).length, 0);

      worker = spawn(process.execPath, [cli, 'worker'], {
        env: { ...process.env, DATABASE_URL: platform.config.databaseUrl, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      worker.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const deadline = Date.now() + 30_000;
      while ((await episodesOf(patientId)).length === 0) {
        assert.ok(Date.now() < deadline, `the worker never started the journey; its stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const exited = new Promise<number | null>((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGTERM');
      assert.equal(await exited, 0, `stops cleanly; its stderr: ${stderr}`);
      worker = undefined;
    });
  },
);

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { adherenceAsOf, keepAdherenceTo } from '../analytics/index.ts';
import { fixedClock } from '../kernel/clock.ts';
import { postgresBackend, postgresSkipReason } from '../store/testing/backends.ts';
import { startPlatform } from './start-platform.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const yesterday = '2026-03-09';
const today = '2026-03-10';
const measuredAtStart = /adherence measured to today at start/;

/**
 * Adherence is measured again to each new day just after midnight UTC. A midnight that passed
 * with no process up is caught up when processes start again, by one of them however many
 * start together (server PostgreSQL: several processes share one database).
 */
describe(
  'adherence: a midnight missed while down is caught up at start',
  { skip: postgresSkipReason },
  () => {
    let yesterdays: TestPlatform;
    before(async () => {
      yesterdays = await startTestPlatform(
        postgresBackend,
        {},
        { clock: fixedClock(`${yesterday}T15:00:00Z`) },
      );
      await keepAdherenceTo(yesterdays.db, new Date(`${yesterday}T15:00:00Z`));
    });
    after(() => yesterdays.stop());

    /** A worker process starting on the same database at `iso`; what it logged, once stopped. */
    const startProcess = async (iso: string) => {
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      const platform = await startPlatform(
        { ...yesterdays.config, port: 0 },
        { clock: fixedClock(iso), logger },
      );
      return {
        // Stopping waits for the catch-up begun at start.
        stopped: () => platform.stop().then(() => lines.filter((line) => measuredAtStart.test(line))),
      };
    };

    test('two processes started after midnight: everyone measured to today, by one of them', async () => {
      assert.equal(await adherenceAsOf(yesterdays.db), yesterday);
      const started = await Promise.all([
        startProcess(`${today}T00:20:00Z`),
        startProcess(`${today}T00:20:00Z`),
      ]);
      const logged = (await Promise.all(started.map((each) => each.stopped()))).flat();
      assert.equal(await adherenceAsOf(yesterdays.db), today, 'the kept runs are measured to today');
      assert.equal(logged.length, 1, 'one catch-up, not one per process');
    });

    test('a process started once the day is kept does not measure again', async () => {
      const later = await startProcess(`${today}T09:00:00Z`);
      assert.deepEqual(await later.stopped(), []);
      assert.equal(await adherenceAsOf(yesterdays.db), today);
    });
  },
);

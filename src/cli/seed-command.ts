import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseConfig } from '../kernel/config.ts';
import { systemClock } from '../kernel/clock.ts';
import { isThroughlineError } from '../kernel/errors.ts';
import { openPlatformRepository } from '../ingest/index.ts';
import { seedDemoClinic, type SeedResult } from '../demo/index.ts';

const usage = `usage: throughline seed [--patients N] [--seed S] [--date YYYY-MM-DD] [--force] [--truth FILE]

Fills an empty database with the generated demo clinic (deterministic for a given seed and date).
  --patients N   people in the clinic (default 300; ~10% get a second record elsewhere)
  --seed S       number or text (default 1)
  --date D       the clinic's "today" (default: today, UTC): its appointments, results and reminders
  --force        seed even if the database already holds patients
  --truth FILE   write the identity answer key (which records are the same person) as JSON`;

function parseSeedArgs(args: string[]) {
  return parseArgs({
    args,
    options: {
      patients: { type: 'string' },
      seed: { type: 'string' },
      date: { type: 'string' },
      force: { type: 'boolean' },
      truth: { type: 'string' },
      help: { type: 'boolean' },
    },
  }).values;
}

function printResult(result: SeedResult, seconds: number): void {
  console.log(
    `seeded the demo clinic: ${result.total} resources in ${seconds.toFixed(1)} s (seed ${result.truth.seed})`,
  );
  for (const [type, count] of Object.entries(result.byType).sort(([, a], [, b]) => b - a)) {
    console.log(`  ${type.padEnd(28)} ${String(count).padStart(7)}`);
  }
  const { gpPatientId, labPatientId } = result.truth.maya;
  console.log(`Maya: Patient/${gpPatientId} (lab record Patient/${labPatientId})`);
}

/** `throughline seed`: the thin edge over seedDemoClinic. */
export async function seedCommand(args: string[]): Promise<number> {
  const values = parseSeedArgs(args);
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const patients = values.patients === undefined ? 300 : Number(values.patients);
  if (!Number.isInteger(patients) || patients < 1 || patients > 100_000) {
    console.error(`--patients must be an integer between 1 and 100000\n\n${usage}`);
    return 2;
  }
  const now = values.date === undefined ? systemClock.now() : new Date(`${values.date}T00:00:00Z`);
  if (
    values.date !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(now.getTime()))
  ) {
    console.error(`--date must be a date such as 2026-05-14\n\n${usage}`);
    return 2;
  }
  const { repository, close } = await openPlatformRepository(parseConfig());
  try {
    const started = Date.now();
    const result = await seedDemoClinic(repository, {
      patients,
      seed: values.seed ?? 1,
      now,
      force: values.force,
    });
    printResult(result, (Date.now() - started) / 1000);
    if (values.truth) await writeFile(values.truth, `${JSON.stringify(result.truth, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!isThroughlineError(error) || error.code !== 'CONFLICT') throw error;
    console.error(`seed: ${error.message}`);
    return 1;
  } finally {
    await close();
  }
}

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseConfig } from '../kernel/config.ts';
import { isThroughlineError } from '../kernel/errors.ts';
import { openPlatformRepository, seedDemoClinic } from '../ingest/index.ts';

const usage = `usage: throughline seed [--patients N] [--seed S] [--force] [--truth FILE]

Fills an empty database with the generated demo clinic (deterministic for a given seed).
  --patients N   people in the clinic (default 300; ~10% get a second record elsewhere)
  --seed S       number or text (default 1)
  --force        seed even if the database already holds patients
  --truth FILE   write the identity answer key (which records are the same person) as JSON`;

/** `throughline seed`: the thin edge over seedDemoClinic. */
export async function seedCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      patients: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean' },
      truth: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const patients = values.patients === undefined ? 300 : Number(values.patients);
  if (!Number.isInteger(patients) || patients < 1 || patients > 100_000) {
    console.error(`--patients must be an integer between 1 and 100000\n\n${usage}`);
    return 2;
  }
  const { repository, close } = await openPlatformRepository(parseConfig());
  try {
    const started = Date.now();
    const result = await seedDemoClinic(repository, {
      patients,
      seed: values.seed ?? 1,
      force: values.force,
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `seeded the demo clinic: ${result.total} resources in ${seconds.toFixed(1)} s (seed ${result.truth.seed})`,
    );
    for (const [type, count] of Object.entries(result.byType).sort(([, a], [, b]) => b - a))
      console.log(`  ${type.padEnd(28)} ${String(count).padStart(7)}`);
    console.log(
      `Maya: Patient/${result.truth.maya.gpPatientId} (lab record Patient/${result.truth.maya.labPatientId})`,
    );
    if (values.truth) await writeFile(values.truth, `${JSON.stringify(result.truth, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (isThroughlineError(error) && error.code === 'CONFLICT') {
      console.error(`seed: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await close();
  }
}

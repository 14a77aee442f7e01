import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';
import { installRecipes } from '../automation/index.ts';
import { generateDemoClinic, type DemoClinicOptions, type IdentityTruth } from './generate-demo-clinic.ts';

export interface SeedOptions extends DemoClinicOptions {
  /** Seed even if the database already holds patients. */
  force?: boolean;
  /** Resources per bulk write. */
  chunkSize?: number;
}

export interface SeedResult {
  byType: Record<string, number>;
  total: number;
  truth: IdentityTruth;
}

/**
 * Whether any Patient was ever stored. Type history answers that with one indexed query and,
 * unlike a search, also counts patients since deleted: a database that had data is not "empty".
 */
export async function hasPatients(repository: FhirRepository): Promise<boolean> {
  const history = await repository.history({ resourceType: 'Patient', count: 1 });
  return (history.entry ?? []).length > 0;
}

/**
 * Fills an empty database with the generated demo clinic through the store's bulk write path.
 * Refuses (CONFLICT) when patients exist, unless `force`: seeding twice would double the clinic.
 */
export async function seedDemoClinic(
  repository: FhirRepository,
  options: SeedOptions = {},
): Promise<SeedResult> {
  if (!options.force && (await hasPatients(repository))) {
    throw new ThroughlineError(
      'CONFLICT',
      'The database already holds patients; seed fills an empty database only (use --force to add the demo clinic anyway)',
    );
  }
  const clinic = generateDemoClinic(options);
  const chunkSize = options.chunkSize ?? 1000;
  for (let start = 0; start < clinic.resources.length; start += chunkSize) {
    await repository.importResources(clinic.resources.slice(start, start + chunkSize));
  }
  const byType: Record<string, number> = {};
  for (const resource of clinic.resources)
    byType[resource.resourceType] = (byType[resource.resourceType] ?? 0) + 1;
  await repository.refreshStatistics();
  // The built-in automation recipes are on in the demo clinic (a production database has none
  // until someone installs them); they act on writes from now on, not on the clinic just imported.
  await installRecipes(repository, { status: 'active' });
  return { byType, total: clinic.resources.length, truth: clinic.truth };
}

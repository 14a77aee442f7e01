import { readFileSync, readdirSync } from 'node:fs';
import type { PlanDefinition } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { RECIPE_TAG } from './rule-profile.ts';
import { saveRule } from './save-rule.ts';

const folder = new URL('./recipes/', import.meta.url);

/** The built-in recipes (JSON files beside this one), as PlanDefinitions. */
export function loadRecipes(): PlanDefinition[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as PlanDefinition);
}

/**
 * Writes the recipes under their own ids, tagged as recipes, with the given status: the demo
 * clinic turns them on; a production database gets none until someone installs them. A recipe
 * already stored is left as its owner changed it.
 */
export async function installRecipes(
  repository: FhirRepository,
  options: { status: 'active' | 'draft' },
): Promise<string[]> {
  const installed: string[] = [];
  for (const recipe of loadRecipes()) {
    const exists = await repository.read('PlanDefinition', recipe.id!).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    const tagged = { ...recipe, status: options.status, meta: { tag: [RECIPE_TAG] } };
    await saveRule(repository, tagged, { trusted: true });
    installed.push(recipe.id!);
  }
  return installed;
}

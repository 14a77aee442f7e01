import type { TestPlatform } from './test-platform.ts';

/**
 * What a client of the rules API does to save a rule: a dry run of it first (activation is
 * refused without one), then the save — `saved` may differ from the rule dry-run (a test that
 * activates what it tried as a draft). Both answers, unchecked: the test asserts what it means.
 */
export async function dryRunThenSave(
  platform: TestPlatform,
  rule: object,
  saved: object = rule,
): Promise<{ dry: Response; saved: Response }> {
  const post = (path: string, body: object) =>
    platform.fetch(path, { method: 'POST', body: JSON.stringify(body) });
  const dry = await post('/api/automation/rules/$dry-run', rule);
  return { dry, saved: await post('/api/automation/rules', saved) };
}

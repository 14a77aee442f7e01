import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `../shared/data` beside the project root, found from this file as the tests find it
 * (`src/store/search/testing/shared-data.ts`), not from the working directory: a bench started
 * from another folder reads the same data, and one in a checkout without it says so.
 */
const sharedData = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Where one shared data set is (`synthea/dev`), wherever the bench is run from. */
export const sharedDataPath = (folder: string): string => sharedData + folder;

/** Why a bench that needs `folder` cannot run (the path it looked at), or undefined when it can. */
export function sharedDataMissing(folder: string): string | undefined {
  const path = sharedDataPath(folder);
  if (existsSync(path)) return undefined;
  return (
    `${path} is absent. The shared data sets sit in shared/data beside the project's folder ` +
    '(present in CI; absent on a user machine, or in a checkout placed elsewhere, such as a worktree in /tmp).'
  );
}

/**
 * Whether a bench must stop because `folder` is absent. If so it says so on stderr, beside the
 * report's tables, naming the path it looked at: a missing data set is never a silent skip.
 */
export function notRunWithout(folder: string, bench: { name: string; loads: string }): boolean {
  const missing = sharedDataMissing(folder);
  if (missing) console.error(`${bench.name} NOT RUN: it loads ${bench.loads}, and ${missing}`);
  return missing !== undefined;
}

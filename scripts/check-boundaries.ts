// Module-boundary check (DESIGN.md, "Modules"): every import in src/ must point down the layer
// table, capabilities never import each other, another module is reached through its index.ts
// (tests: also its testing/ folder), only the store's SQL adapters import a database driver, and
// SQL has one owner per table: the store (every FHIR, event, job, message and identity table) and
// access (accounts, sessions, grants and the audit log it must own to fail closed) — no other
// module's code writes a SQL statement (tests may, to look at what was stored).
// Hand-written because the rule set is small and exactly DESIGN's table; a
// general tool (dependency-cruiser) would need the same table restated in its own format.
import { existsSync, readFileSync, globSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const capabilities = ['identity', 'ingest', 'journey', 'engagement', 'automation', 'scheduling', 'analytics'];
const below = ['kernel', 'fhir', 'store', 'hl7v2', 'access'];

/** module → modules it may import. */
export const allowed: Record<string, string[]> = {
  kernel: [],
  fhir: ['kernel'],
  store: ['kernel', 'fhir'],
  hl7v2: ['kernel'],
  access: ['kernel', 'fhir', 'store'],
  ...Object.fromEntries(capabilities.map((name) => [name, below])),
  demo: [...below, ...capabilities],
  server: [...below, ...capabilities, 'demo'],
  cli: [...below, ...capabilities, 'server', 'demo'],
};

const drivers = ['pg', '@electric-sql/pglite'];
const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function moduleOf(file: string): string | undefined {
  const parts = relative('src', file).split('/');
  return parts.length > 1 ? parts[0] : undefined;
}

/**
 * A module with an `index.ts` is reached through it — or, for tests of other modules, through
 * its `testing/` folder — never through its inner files (kernel and fhir have no index: their
 * files are the public face).
 */
function pastIndex(relativeTarget: string, module: string): boolean {
  if (!existsSync(`src/${module}/index.ts`)) return false;
  return relativeTarget !== `${module}/index.ts` && !relativeTarget.startsWith(`${module}/testing/`);
}

const sqlOwners = ['store', 'access'];
const sqlStatement =
  /['"`]\s*(?:SELECT\s[\w*]|INSERT INTO|DELETE FROM|UPDATE\s+\w+\s+SET|CREATE TABLE|ANALYZE\b)/;
const isTestCode = (file: string) => file.endsWith('.test.ts') || file.includes('/testing/');

function check(file: string): string[] {
  const problems: string[] = [];
  const from = moduleOf(file);
  if (!from) return problems;
  const source = readFileSync(file, 'utf8');
  if (!sqlOwners.includes(from) && !isTestCode(file) && sqlStatement.test(source))
    problems.push(
      `${file}: writes SQL; only ${sqlOwners.join(' and ')} own SQL (put it behind the store port)`,
    );
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? '';
    if (drivers.some((driver) => specifier === driver || specifier.startsWith(`${driver}/`))) {
      if (!relative('src/store/sql', file).match(/^[^.]/)) {
        problems.push(`${file}: imports database driver "${specifier}"; only src/store/sql/ may`);
      }
      continue;
    }
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier);
    const relativeTarget = relative(resolve('src'), target);
    if (relativeTarget.startsWith('..')) {
      problems.push(`${file}: imports "${specifier}" outside src/`);
      continue;
    }
    const to = relativeTarget.split('/')[0]!;
    if (to === from || !allowed[from]) continue;
    if (pastIndex(relativeTarget, to)) {
      problems.push(
        `${file}: imports "${specifier}" past module "${to}"'s index.ts (or its testing/ folder)`,
      );
      continue;
    }
    if (!allowed[from]!.includes(to)) {
      problems.push(
        `${file}: module "${from}" may not import "${to}" (allowed: ${allowed[from]!.join(', ') || 'none'})`,
      );
    }
  }
  return problems;
}

const files = globSync('src/**/*.{ts,tsx}');
const problems = files.flatMap(check);
const unknown = [...new Set(files.map(moduleOf).filter((name) => name && !allowed[name]))];
for (const name of unknown)
  problems.push(`src/${name}: module not in the layer table (scripts/check-boundaries.ts)`);
if (problems.length > 0) {
  console.error(`Module boundary violations:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`module boundaries ok (${files.length} files)`);

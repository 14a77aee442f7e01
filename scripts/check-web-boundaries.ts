// Feature boundaries of the staff web app (web/src), the browser's side of check-boundaries:
// a feature (`features/<name>/`) never imports another feature — the app shell (`app/`)
// composes them, through each feature's index.ts; `shared/` imports neither features nor the
// app. So a screen can be added, moved or removed without touching its siblings.
import { globSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const web = resolve('web/src');
const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

/** `features/<name>`, `shared`, `app` or the entry files at the root. */
function areaOf(path: string): string {
  const parts = relative(web, path).split('/');
  return parts[0] === 'features' ? `features/${parts[1]}` : parts.length > 1 ? parts[0]! : 'root';
}

function problemOf(file: string, specifier: string): string | undefined {
  const target = resolve(dirname(file), specifier);
  if (relative(web, target).startsWith('..')) return `imports "${specifier}" outside web/src`;
  const [from, to] = [areaOf(file), areaOf(target)];
  if (from === to) return undefined;
  if (from === 'shared' && to === 'app') return `shared/ may not import the app shell ("${specifier}")`;
  if (!to.startsWith('features/')) return undefined;
  if (from.startsWith('features/')) return `${from} may not import ${to} ("${specifier}"); compose in app/`;
  if (from === 'shared') return `shared/ may not import ${to} ("${specifier}")`;
  if (!/\/index\.tsx?$/.test(relative(web, target))) return `imports "${specifier}" past ${to}'s index.ts`;
  return undefined;
}

function check(file: string): string[] {
  const problems: string[] = [];
  for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? '';
    if (!specifier.startsWith('.')) continue;
    const problem = problemOf(file, specifier);
    if (problem) problems.push(`${relative('.', file)}: ${problem}`);
  }
  return problems;
}

const files = globSync('web/src/**/*.{ts,tsx}').map((file) => resolve(file));
const problems = files.flatMap(check);
if (problems.length > 0) {
  console.error(`Web feature boundary violations:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`web feature boundaries ok (${files.length} files)`);

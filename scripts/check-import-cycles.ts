// Import-cycle check (issue 14): no file in src/ or web/src/ reaches itself through its imports.
// Cycles make load order matter and blur which piece is below which; the layer table keeps
// modules acyclic, this keeps the files inside a module acyclic too.
// Hand-written (Tarjan's strongly connected components, ~30 lines) rather than madge or
// dependency-cruiser, which would add a dependency tree for one graph walk.
import { existsSync, readFileSync, globSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';

// Value imports only: `import type` is erased before anything runs, so it cannot make load
// order matter (a type-only cycle is still worth avoiding, but is not what this refuses).
const importPattern =
  /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const targets: string[] = [];
  for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? '';
    if (!specifier.startsWith('.')) continue;
    const target = relative('.', resolve(dirname(file), specifier));
    if (existsSync(target)) targets.push(target);
  }
  return targets;
}

/** Strongly connected components of more than one file (or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) visit(next);
      if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, low.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const files = globSync(['src/**/*.{ts,tsx}', 'web/src/**/*.{ts,tsx}']);
const found = cycles(new Map(files.map((file) => [file, importsOf(file)])));
if (found.length > 0) {
  console.error(`Import cycles:\n${found.map((files) => `  ${files.join(' ↔ ')}`).join('\n')}`);
  process.exit(1);
}
console.log(`no import cycles (${files.length} files)`);

// Micro-benchmark: search-index extraction cost per Synthea resource (CPU only, no database).
// Usage: npx node bench/search-index.ts [files=102]
// Target: ≤ 60 µs per resource, so indexing does not dominate a 5,000 resources/s bulk import.
import type { Resource } from '@medplum/fhirtypes';
import { extractIndexRows } from '../src/store/search/extract-index-rows.ts';
import { readSyntheaResources } from '../src/store/search/testing/shared-data.ts';
import { notRunWithout } from './lib/shared-data.ts';
import { percentile } from './lib/stats.ts';

if (notRunWithout('synthea/dev', { name: 'bench/search-index.ts', loads: 'the Synthea dev set' }))
  process.exit(0);

const files = Number(process.argv[2] ?? 102);
const resources: Resource[] = readSyntheaResources(files);
console.log(`${resources.length} resources from ${files} Synthea files`);

// Warm-up compiles every type's parameters once and lets the JIT settle.
extractIndexRows(resources);

const batch = 500;
const perResource: number[] = [];
let rows = 0;
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
for (let i = 0; i < resources.length; i += batch) {
  const slice = resources.slice(i, i + batch);
  const start = performance.now();
  const columns = extractIndexRows(slice);
  perResource.push(((performance.now() - start) * 1000) / slice.length);
  rows += Object.values(columns).reduce((sum, table) => sum + table[0]!.length, 0);
}
const wall = performance.now() - wallStart;
const cpu = process.cpuUsage(cpuStart);

const us = (value: number): string => `${value.toFixed(1)} µs`;
console.log(`index rows: ${rows} (${(rows / resources.length).toFixed(1)} per resource)`);
console.log(`wall: ${us((wall * 1000) / resources.length)} per resource`);
console.log(`cpu (user+system): ${us((cpu.user + cpu.system) / resources.length)} per resource`);
console.log(
  `per ${batch}-resource batch: p50 ${us(percentile(perResource, 50))}, p95 ${us(percentile(perResource, 95))}`,
);

// CPU of the write path's per-resource helpers that issue 15 part 3 made cheaper, old against
// new on the same resources (those the HL7 bench's ADT+ORU mix maps to), alternated in one
// process, CPU time (`process.cpuUsage`) so a loaded machine moves both alike. FHIR validation:
// Medplum's validator alone (as before) against the fast walk that answers first.
//   npx node bench/hl7v2-write-path-parts.ts [messages=2000] [rounds=5]
import type { Resource } from '@medplum/fhirtypes';
import { parseMessage, readHeader } from '../src/hl7v2/index.ts';
import { mappingFor } from '../src/ingest/hl7v2/mappings.ts';
import { sourceOf } from '../src/ingest/hl7v2/map-context.ts';
import { clean, cleanViaJson } from '../src/ingest/hl7v2/clean-resource.ts';
import { cloneJson } from '../src/kernel/clone-json.ts';
import { findPath, PROTOTYPE_KEYS, prototypeKeyPath } from '../src/kernel/safe-json.ts';
import { validateResource, validateResourceWithMedplum } from '../src/fhir/validate-resource.ts';
import { syntheticMessages } from './lib/hl7-messages.ts';

const messages = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 5);

/** The resources each message maps to (what Bundle planning copies and validation checks). */
const resources: Resource[] = syntheticMessages(messages).flatMap((raw) => {
  const message = parseMessage(Buffer.from(raw));
  const header = readHeader(message);
  const entries = mappingFor(
    header.messageType,
    header.triggerEvent,
  )({ message, header, source: sourceOf(header) });
  return entries.flatMap((entry) => (entry.resource ? [entry.resource] : []));
});

const eagerPath = (value: unknown) =>
  findPath(value, (key, _c, inArray) => !inArray && PROTOTYPE_KEYS.has(key));

const pairs: [string, (r: Resource) => unknown, (r: Resource) => unknown][] = [
  ['copy: structuredClone → cloneJson', (r) => structuredClone(r), (r) => cloneJson(r)],
  ['clean: JSON round trip → one walk', (r) => cleanViaJson(r), (r) => clean(r)],
  ['prototype keys: eager paths → check first', eagerPath, (r) => prototypeKeyPath(r)],
  ['FHIR validation: Medplum → fast walk first', validateResourceWithMedplum, validateResource],
];

/** CPU µs per message of `run` over every resource. */
function cpuPerMessage(run: (r: Resource) => unknown): number {
  const start = process.cpuUsage();
  for (const resource of resources) run(resource);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / messages;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `${messages} messages → ${resources.length} resources; median of ${rounds} alternated rounds, CPU µs per message`,
);
console.log('| helper | before | after |');
console.log('| --- | --- | --- |');
for (const [name, before, after] of pairs) {
  for (let i = 0; i < 2; i++) [before, after].forEach(cpuPerMessage); // warm-up (JIT)
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < rounds; i++) {
    times[0].push(cpuPerMessage(before));
    times[1].push(cpuPerMessage(after));
  }
  console.log(`| ${name} | ${median(times[0]).toFixed(1)} | ${median(times[1]).toFixed(1)} |`);
}

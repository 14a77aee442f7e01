// Identity accuracy and speed (issue 4), evaluated as Splink does: every true pair counts, and
// a true pair that blocking never produced is a miss. Datasets: the generated demo clinic
// (always), and FEBRL 1–4 from ../shared/data/febrl when present.
//   npm run bench:identity
import { existsSync, readFileSync } from 'node:fs';
import type { Patient } from '@medplum/fhirtypes';
import { generateDemoClinic } from '../src/ingest/index.ts';
import { blockingKeysOf, defaultSettings, scoreRecords } from '../src/identity/engine/basic-engine.ts';
import { toMatchRecord, type MatchRecord } from '../src/identity/engine/match-record.ts';

interface Dataset {
  name: string;
  records: { id: string; record: MatchRecord; side?: 'a' | 'b' }[];
  truePairs: Set<string>;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

function demoClinic(): Dataset {
  const clinic = generateDemoClinic({ patients: 1000, seed: 7, now: new Date('2026-11-23T00:00:00Z') });
  const patients = clinic.resources.filter(
    (resource): resource is Patient => resource.resourceType === 'Patient',
  );
  const truePairs = new Set<string>();
  for (const person of clinic.truth.people) {
    for (let i = 0; i < person.patientIds.length; i++)
      for (let j = i + 1; j < person.patientIds.length; j++)
        truePairs.add(pairKey(person.patientIds[i]!, person.patientIds[j]!));
  }
  return {
    name: 'demo clinic (1,000 people, seed 7)',
    records: patients.map((patient) => ({ id: patient.id as string, record: toMatchRecord(patient) })),
    truePairs,
  };
}

function febrlRecords(file: string, side?: 'a' | 'b'): Dataset['records'] {
  const [, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [id, given, surname, number, address1, , suburb, postcode, , dob, ssn] = row
      .split(',')
      .map((cell) => cell.trim());
    const birth =
      dob && /^\d{8}$/.test(dob) ? `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6, 8)}` : undefined;
    const patient: Patient = {
      resourceType: 'Patient',
      name: [{ family: surname || undefined, given: given ? [given] : undefined }],
      birthDate: birth,
      address: [
        {
          line: [`${number ?? ''} ${address1 ?? ''}`.trim()],
          city: suburb || undefined,
          postalCode: postcode || undefined,
        },
      ],
      identifier: ssn ? [{ system: 'urn:febrl:ssn', value: ssn }] : undefined,
    };
    return { id: id!, record: toMatchRecord(patient), side };
  });
}

function febrl(n: number): Dataset | undefined {
  const dir = '../shared/data/febrl';
  const truthFile = `${dir}/dataset${n}_true_pairs.csv`;
  if (!existsSync(truthFile)) return undefined;
  const records =
    n === 4
      ? [...febrlRecords(`${dir}/dataset4a.csv`, 'a'), ...febrlRecords(`${dir}/dataset4b.csv`, 'b')]
      : febrlRecords(`${dir}/dataset${n}.csv`);
  const [, ...pairs] = readFileSync(truthFile, 'utf8').trim().split('\n');
  return {
    name: `FEBRL${n}`,
    records,
    truePairs: new Set(
      pairs.map((line) => {
        const [a, b] = line.split(',').map((cell) => cell.trim());
        return pairKey(a!, b!);
      }),
    ),
  };
}

function evaluate(dataset: Dataset): string {
  const t0 = performance.now();
  const byKey = new Map<string, number[]>();
  dataset.records.forEach((entry, index) => {
    for (const key of blockingKeysOf(entry.record)) byKey.set(key, [...(byKey.get(key) ?? []), index]);
  });
  const candidates = new Set<string>();
  for (const indexes of byKey.values()) {
    if (indexes.length > 200) continue;
    for (let i = 0; i < indexes.length; i++)
      for (let j = i + 1; j < indexes.length; j++) {
        const [a, b] = [dataset.records[indexes[i]!]!, dataset.records[indexes[j]!]!];
        if (a.side && a.side === b.side) continue;
        candidates.add(`${indexes[i]}|${indexes[j]}`);
      }
  }
  const t1 = performance.now();
  const scored = [...candidates].map((pair) => {
    const [i, j] = pair.split('|').map(Number) as [number, number];
    const [a, b] = [dataset.records[i]!, dataset.records[j]!];
    const outcome = scoreRecords(a.record, b.record);
    return {
      score: outcome.score,
      autoLink: outcome.band === 'auto-link',
      truth: dataset.truePairs.has(pairKey(a.id, b.id)),
    };
  });
  const t2 = performance.now();
  const blockedTrue = scored.filter((pair) => pair.truth).length;
  const at = (threshold: number) => {
    const tp = scored.filter((pair) => pair.truth && pair.score >= threshold).length;
    const fp = scored.filter((pair) => !pair.truth && pair.score >= threshold).length;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 1;
    const recall = tp / dataset.truePairs.size;
    return {
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      fp,
    };
  };
  const linked = scored.filter((pair) => pair.autoLink);
  const tpLinked = linked.filter((pair) => pair.truth).length;
  const chosenPrecision = linked.length > 0 ? tpLinked / linked.length : 1;
  const chosenRecall = tpLinked / dataset.truePairs.size;
  const chosen = {
    precision: chosenPrecision,
    recall: chosenRecall,
    f1: (2 * chosenPrecision * chosenRecall) / (chosenPrecision + chosenRecall || 1),
    fp: linked.length - tpLinked,
  };
  let best = { threshold: 0, ...at(0) };
  for (let threshold = -10; threshold <= 40; threshold += 0.5) {
    const result = at(threshold);
    if (result.f1 > best.f1) best = { threshold, ...result };
  }
  const f = (x: number) => x.toFixed(4);
  return `| ${dataset.name} | ${dataset.records.length} | ${dataset.truePairs.size} | ${f(blockedTrue / dataset.truePairs.size)} | ${f(chosen.precision)} / ${f(chosen.recall)} / **${f(chosen.f1)}** (${chosen.fp} false links) | ${f(best.f1)} at ${best.threshold} | ${((t1 - t0) / 1000).toFixed(2)} s / ${((t2 - t1) / 1000).toFixed(2)} s (${candidates.size} pairs) |`;
}

console.log(
  `| dataset | records | true pairs | blocking recall | auto-link band (≥ ${defaultSettings.autoLink}, no strong contradiction): precision / recall / F1 | best F1 | blocking / scoring |`,
);
console.log('| --- | ---: | ---: | ---: | --- | --- | --- |');
for (const dataset of [demoClinic(), febrl(1), febrl(2), febrl(3), febrl(4)]) {
  if (dataset) console.log(evaluate(dataset));
  else console.log('| FEBRL | skipped: ../shared/data/febrl is not here | | | | | |');
}

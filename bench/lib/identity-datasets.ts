// Benchmark datasets for identity matching, read from ../shared/data (never copied here).
// Each record carries its true cluster, so a pair is a true match iff the clusters agree.
import { existsSync, readFileSync } from 'node:fs';
import type { Patient } from '@medplum/fhirtypes';
import { generateDemoClinic } from '../../src/demo/index.ts';
import { toMatchRecord, type MatchRecord } from '../../src/identity/engine/match-record.ts';

export interface Dataset {
  name: string;
  records: MatchRecord[];
  clusters: string[];
  /** For linking two files: which file each record came from. */
  sides?: string[];
}

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';

export function demoClinic(): Dataset {
  const clinic = generateDemoClinic({ patients: 1000, seed: 7, now: new Date('2026-11-23T00:00:00Z') });
  const patients = clinic.resources.filter((r): r is Patient => r.resourceType === 'Patient');
  const personOf = new Map<string, string>();
  clinic.truth.people.forEach((person, n) => person.patientIds.forEach((id) => personOf.set(id, `${n}`)));
  return {
    name: 'demo clinic (1,000 people, seed 7)',
    records: patients.map(toMatchRecord),
    clusters: patients.map((p) => personOf.get(p.id!) ?? `solo:${p.id}`),
  };
}

/** RFC-4180 rows (quoted fields may hold commas and doubled quotes); the header row dropped. */
export function csvRows(file: string): string[][] {
  const rows: string[][] = [];
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
    if (!line) continue;
    const cells = [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)];
    rows.push(cells.map((cell) => (cell[1] !== undefined ? cell[1].replace(/""/g, '"') : cell[2]!).trim()));
  }
  return rows;
}

const isoDate = (value: string | undefined) =>
  value && /^\d{8}$/.test(value)
    ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`
    : undefined;

function febrlPatient(row: string[]): Patient {
  const [, given, surname, number, address1, address2, suburb, postcode, , dob, ssn] = row;
  return {
    resourceType: 'Patient',
    name: [{ family: surname || undefined, given: given ? [given] : undefined }],
    birthDate: isoDate(dob),
    address: [
      {
        line: [`${number ?? ''} ${address1 ?? ''}`.trim(), address2 ?? ''].filter(Boolean),
        city: suburb || undefined,
        postalCode: postcode || undefined,
      },
    ],
    identifier: ssn ? [{ system: 'urn:febrl:ssn', value: ssn }] : undefined,
  };
}

export function febrl(n: number): Dataset | undefined {
  const dir = `${DATA}febrl/`;
  const files = n === 4 ? ['dataset4a.csv', 'dataset4b.csv'] : [`dataset${n}.csv`];
  if (!files.every((file) => existsSync(dir + file))) return undefined;
  const rows = files.flatMap((file, side) => csvRows(dir + file).map((row) => ({ row, side: `${side}` })));
  return {
    name: `FEBRL${n}`,
    records: rows.map(({ row }) => toMatchRecord(febrlPatient(row))),
    // rec-<N>-org / rec-<N>-dup-<k>: the same N is the same person (the Splink/recordlinkage rule).
    clusters: rows.map(({ row }) => row[0]!.split('-').slice(0, 2).join('-')),
    sides: n === 4 ? rows.map(({ side }) => side) : undefined,
  };
}

export function fake1000(): Dataset | undefined {
  const file = `${DATA}splink/fake_1000.csv`;
  if (!existsSync(file)) return undefined;
  const rows = csvRows(file);
  const patients = rows.map(([, first, surname, dob, city, email]): Patient => ({
    resourceType: 'Patient',
    name: [{ family: surname || undefined, given: first ? [first] : undefined }],
    birthDate: dob || undefined,
    address: city ? [{ city }] : undefined,
    telecom: email ? [{ system: 'email', value: email }] : undefined,
  }));
  return { name: 'fake_1000', records: patients.map(toMatchRecord), clusters: rows.map((row) => row[6]!) };
}

/** Occupation has no place on a FHIR Patient, so it is not used; birth place is an extension. */
export function historical50k(): Dataset | undefined {
  const file = `${DATA}splink/historical_figures_with_errors_50k.csv`;
  if (!existsSync(file)) return undefined;
  const rows = csvRows(file);
  const patients = rows.map(
    ([, , fullName, , first, surname, dob, birthPlace, postcode, gender]): Patient => ({
      resourceType: 'Patient',
      name: [
        { text: fullName || undefined, family: surname || undefined, given: first ? [first] : undefined },
      ],
      birthDate: dob || undefined,
      gender: gender === 'male' || gender === 'female' ? gender : undefined,
      address: postcode ? [{ postalCode: postcode }] : undefined,
      extension: birthPlace ? [{ url: BIRTH_PLACE, valueAddress: { city: birthPlace } }] : undefined,
    }),
  );
  return {
    name: 'historical_50k',
    records: patients.map(toMatchRecord),
    clusters: rows.map((row) => row[1]!),
  };
}

// Benchmark datasets for identity matching, read from ../shared/data (never copied here): the
// bench checks `SHARED_FILES` first, so a loader may assume its files are there.
// Each record carries its true cluster, so a pair is a true match iff the clusters agree.
import { readFileSync } from 'node:fs';
import type { Patient } from '@medplum/fhirtypes';
import { generateDemoClinic } from '../../src/demo/index.ts';
import { toMatchRecord, type MatchRecord } from '../../src/identity/engine/match-record.ts';
import { sharedDataPath } from './shared-data.ts';

export interface Dataset {
  name: string;
  records: MatchRecord[];
  clusters: string[];
  /** For linking two files: which file each record came from. */
  sides?: string[];
}

/**
 * The shared data files each dataset reads, for the bench to check before it loads one (an
 * absent one is said NOT RUN, naming its path: see ./shared-data.ts).
 */
export const SHARED_FILES = {
  febrl1: ['febrl/dataset1.csv'],
  febrl2: ['febrl/dataset2.csv'],
  febrl3: ['febrl/dataset3.csv'],
  febrl4: ['febrl/dataset4a.csv', 'febrl/dataset4b.csv'],
  fake1000: ['splink/fake_1000.csv'],
  historical50k: ['splink/historical_figures_with_errors_50k.csv'],
} as const satisfies Record<string, readonly string[]>;
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

export function febrl(n: 1 | 2 | 3 | 4): Dataset {
  const files = SHARED_FILES[`febrl${n}`];
  const rows = files.flatMap((file, side) =>
    csvRows(sharedDataPath(file)).map((row) => ({ row, side: `${side}` })),
  );
  return {
    name: `FEBRL${n}`,
    records: rows.map(({ row }) => toMatchRecord(febrlPatient(row))),
    // rec-<N>-org / rec-<N>-dup-<k>: the same N is the same person (the Splink/recordlinkage rule).
    clusters: rows.map(({ row }) => row[0]!.split('-').slice(0, 2).join('-')),
    sides: n === 4 ? rows.map(({ side }) => side) : undefined,
  };
}

export function fake1000(): Dataset {
  const rows = csvRows(sharedDataPath(SHARED_FILES.fake1000[0]));
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
export function historical50k(): Dataset {
  const rows = csvRows(sharedDataPath(SHARED_FILES.historical50k[0]));
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

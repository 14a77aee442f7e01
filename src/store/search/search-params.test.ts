import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle } from '@medplum/fhirtypes';
import { describeEachBackend } from '../testing/backends.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { searchResources } from './search-resources.ts';
import { clinic } from './testing/fixtures.ts';
import { seedResources } from './testing/seed-resources.ts';

const ids = (bundle: Bundle): string[] =>
  (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode === 'match')
    .map((entry) => entry.resource!.id!)
    .sort();

describeEachBackend('search: parameter types, modifiers and prefixes', (backend) => {
  let db: SqlDatabase;
  const find = async (resourceType: string, query: string): Promise<string[]> =>
    ids(
      await searchResources(db, {
        resourceType,
        params: [...new URLSearchParams(query)],
        baseUrl: 'http://t/fhir',
      }),
    );
  before(async () => {
    db = await backend.open();
    await seedResources(db, clinic);
  });
  after(() => db.close());

  test('string: starts-with, accent- and case-insensitive; :exact; :contains; :missing', async () => {
    assert.deepEqual(await find('Patient', 'name=ramirez'), ['maya']);
    assert.deepEqual(await find('Patient', 'family=RAM'), ['maya']);
    assert.deepEqual(await find('Patient', 'name=luc'), ['maya']);
    assert.deepEqual(await find('Patient', 'family:exact=Ramírez'), ['maya']);
    assert.deepEqual(await find('Patient', 'family:exact=ramírez'), []);
    assert.deepEqual(await find('Patient', 'name:contains=mit'), ['tom']);
    assert.deepEqual(await find('Patient', 'name=smith,ramirez'), ['maya', 'tom']);
    assert.deepEqual(await find('Patient', 'name=smith&name=ramirez'), []);
    assert.deepEqual(await find('Patient', 'email:missing=true'), ['tom']);
  });

  test('token: code, system|code, |code, system|, :not, :text, :missing, booleans', async () => {
    assert.deepEqual(await find('Patient', 'identifier=http://demo.clinic/mrn|M-100'), ['maya']);
    assert.deepEqual(await find('Patient', 'identifier=M-200'), ['tom']);
    assert.deepEqual(await find('Patient', 'identifier=http://demo.clinic/mrn|'), ['maya', 'tom']);
    assert.deepEqual(await find('Patient', 'identifier=|M-100'), []);
    assert.deepEqual(await find('Patient', 'gender=female'), ['maya']);
    assert.deepEqual(await find('Patient', 'gender:not=female'), ['tom']);
    assert.deepEqual(await find('Patient', 'active=true'), ['maya']);
    assert.deepEqual(await find('Patient', 'active:missing=true'), ['tom']);
    assert.deepEqual(await find('Patient', 'email=maya@example.org'), ['maya']);
    assert.deepEqual(await find('Observation', 'code=http://loinc.org|4548-4'), ['obs-3', 'obs-5']);
    assert.deepEqual(await find('Observation', 'code:text=a1c'), ['obs-3', 'obs-5']);
    assert.deepEqual(await find('Observation', 'code:not=4548-4&subject=Patient/maya'), ['obs-1', 'obs-2']);
  });

  test('date: implicit ranges and every prefix', async () => {
    assert.deepEqual(await find('Observation', 'date=2024-01'), ['obs-1']);
    assert.deepEqual(await find('Observation', 'date=2023'), ['obs-3']);
    assert.deepEqual(await find('Observation', 'date=2022-06-30T21:00:00Z'), ['obs-4']);
    assert.deepEqual(await find('Observation', 'date=ne2024'), ['obs-3', 'obs-4']);
    assert.deepEqual(await find('Observation', 'date=gt2024-02'), ['obs-5']);
    assert.deepEqual(await find('Observation', 'date=ge2024-02'), ['obs-2', 'obs-5']);
    assert.deepEqual(await find('Observation', 'date=lt2023-12-15'), ['obs-3', 'obs-4']);
    assert.deepEqual(await find('Observation', 'date=le2023-12'), ['obs-3', 'obs-4']);
    assert.deepEqual(await find('Observation', 'date=sa2024-01-15'), ['obs-2', 'obs-5']);
    assert.deepEqual(await find('Observation', 'date=eb2023'), ['obs-4']);
    // ap widens by 10% of the distance from now (~160 days here).
    assert.deepEqual(await find('Observation', 'date=ap2022-06-30'), ['obs-4']);
    assert.deepEqual(await find('Observation', 'date=ge2024&date=lt2024-02'), ['obs-1']);
    assert.deepEqual(await find('Patient', 'birthdate=1950-06-01'), []);
    assert.deepEqual(await find('Patient', 'birthdate=le1950-06-01'), ['tom']);
    assert.deepEqual(await find('Encounter', 'date=2024-03-01'), ['enc-1']);
  });

  test('number and quantity: precision, prefixes, system and unit', async () => {
    assert.deepEqual(await find('Observation', 'value-quantity=70'), ['obs-1']);
    assert.deepEqual(await find('Observation', 'value-quantity=68.5|http://unitsofmeasure.org|kg'), [
      'obs-2',
    ]);
    assert.deepEqual(await find('Observation', 'value-quantity=68.5||kg'), ['obs-2']);
    assert.deepEqual(await find('Observation', 'value-quantity=68.5|http://unitsofmeasure.org|g'), []);
    assert.deepEqual(await find('Observation', 'value-quantity=gt69'), ['obs-1', 'obs-4']);
    assert.deepEqual(await find('Observation', 'value-quantity=lt70'), ['obs-2']);
    assert.deepEqual(await find('Observation', 'value-quantity=le70'), ['obs-1', 'obs-2']);
    assert.deepEqual(await find('Observation', 'value-quantity=ge90'), ['obs-4']);
    assert.deepEqual(await find('Observation', 'value-quantity=ne70'), ['obs-2', 'obs-4']);
    assert.deepEqual(await find('Observation', 'value-quantity=sa70'), ['obs-4']);
    assert.deepEqual(await find('Observation', 'value-quantity=eb70'), ['obs-2']);
    assert.deepEqual(await find('Observation', 'value-quantity=ap85'), ['obs-4']);
    assert.deepEqual(await find('Observation', 'value-quantity:missing=true'), ['obs-3', 'obs-5']);
  });

  test('reference: Type/id, bare id, :Type, full URL, :missing', async () => {
    assert.deepEqual(await find('Observation', 'subject=Patient/tom'), ['obs-4', 'obs-5']);
    assert.deepEqual(await find('Observation', 'patient=tom'), ['obs-4', 'obs-5']);
    assert.deepEqual(await find('Observation', 'subject:Patient=tom'), ['obs-4', 'obs-5']);
    assert.deepEqual(await find('Observation', 'subject:Group=tom'), []);
    assert.deepEqual(await find('Observation', 'subject=http://t/fhir/Patient/tom'), ['obs-4', 'obs-5']);
    assert.deepEqual(await find('Observation', 'encounter:missing=false'), ['obs-1']);
    assert.deepEqual(await find('Patient', 'organization=Organization/org-1'), ['maya']);
  });

  test('derived parameters read their sources: combo-code, patient ← subject', async () => {
    assert.deepEqual(await find('Observation', 'combo-code=4548-4'), ['obs-3', 'obs-5']);
    assert.deepEqual(await find('Observation', 'combo-value-quantity=gt89'), ['obs-4']);
    assert.deepEqual(await find('Observation', 'patient:missing=true'), []);
    assert.deepEqual(await find('Encounter', 'patient=maya'), ['enc-1']);
    const rows = await db.query(
      `SELECT DISTINCT code FROM search_reference WHERE resource_type = 'Observation'`,
    );
    assert.ok(!rows.rows.some((row) => row.code === 'patient'), 'patient is not stored twice');
  });

  test('composite: resource-level composites are the AND of their components', async () => {
    assert.deepEqual(await find('Observation', 'code-value-quantity=http://loinc.org|29463-7$gt69'), [
      'obs-1',
      'obs-4',
    ]);
    assert.deepEqual(await find('Observation', 'code-value-quantity=4548-4$gt1,29463-7$lt69'), ['obs-2']);
    // value-date is Observation.value[x] as dateTime/Period, not effective[x].
    assert.deepEqual(await find('Observation', 'code-value-date=4548-4$2024'), []);
    // Components of Observation.component could match in different components: not offered.
    assert.equal((await find('Observation', 'component-code-value-quantity=x$1')).length, 5);
  });

  test('uri: exact, :below, :above', async () => {
    await seedResources(db, [
      {
        resourceType: 'ValueSet',
        id: 'vs-1',
        status: 'active',
        url: 'http://demo.clinic/fhir/ValueSet/visits',
      },
    ]);
    assert.deepEqual(await find('ValueSet', 'url=http://demo.clinic/fhir/ValueSet/visits'), ['vs-1']);
    assert.deepEqual(await find('ValueSet', 'url=http://demo.clinic/fhir'), []);
    assert.deepEqual(await find('ValueSet', 'url:below=http://demo.clinic/fhir'), ['vs-1']);
    assert.deepEqual(await find('ValueSet', 'url:above=http://demo.clinic/fhir/ValueSet/visits/v2'), [
      'vs-1',
    ]);
  });

  test('_id and _lastUpdated come from the resource row', async () => {
    assert.deepEqual(await find('Patient', '_id=maya,nobody'), ['maya']);
    assert.deepEqual(await find('Patient', '_lastUpdated=gt2000-01-01'), ['maya', 'tom']);
    assert.deepEqual(await find('Patient', '_lastUpdated=lt2000-01-01'), []);
  });

  test('reference :identifier and reverse chaining with _has', async () => {
    await seedResources(db, [
      {
        resourceType: 'Observation',
        id: 'obs-hl7',
        status: 'final',
        code: { text: 'from a lab feed' },
        subject: { identifier: { system: 'http://demo.clinic/mrn', value: 'M-100' } },
      },
    ]);
    assert.deepEqual(await find('Observation', 'subject:identifier=http://demo.clinic/mrn|M-100'), [
      'obs-hl7',
    ]);
    assert.deepEqual(await find('Observation', 'subject:identifier=M-100'), ['obs-hl7']);
    assert.deepEqual(await find('Observation', 'subject:identifier=|M-100'), []);
    assert.deepEqual(await find('Patient', '_has:Observation:patient:code=4548-4'), ['maya', 'tom']);
    assert.deepEqual(await find('Patient', '_has:Observation:subject:value-quantity=gt80'), ['tom']);
    assert.deepEqual(await find('Patient', '_has:Observation:performer:code=4548-4'), ['maya']);
    assert.deepEqual(await find('Patient', '_has:Observation:patient:code=none'), []);
  });

  test('chaining one level: typed and untyped', async () => {
    assert.deepEqual(await find('Observation', 'subject:Patient.name=smith'), ['obs-4', 'obs-5']);
    assert.deepEqual(await find('Observation', 'patient.identifier=http://demo.clinic/mrn|M-100'), [
      'obs-1',
      'obs-2',
      'obs-3',
    ]);
    assert.deepEqual(await find('Observation', 'encounter.status=finished'), ['obs-1']);
    assert.deepEqual(await find('Encounter', 'subject.organization.name=northside'), ['enc-1']);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation, OperationOutcome, Parameters, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { platformPerSuite } from './testing/test-platform.ts';

describeEachBackend('identity over HTTP', (backend) => {
  const platform = platformPerSuite(backend);

  const post = async <T>(path: string, body: unknown) => {
    const response = await platform.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const create = async <T>(resource: object) =>
    (await post<T>(`/fhir/${(resource as { resourceType: string }).resourceType}`, resource)).body;

  test('Patient/$merge re-points data to the target; $unmerge restores it; bad parameters are an OperationOutcome', async () => {
    const source = await create<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Okafor', given: ['May'] }],
    });
    const target = await create<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Okafor', given: ['Maya'] }],
    });
    const lab = await create<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'HbA1c' },
      subject: { reference: `Patient/${source.id}` },
    });
    const merge = await post<Parameters>('/fhir/Patient/$merge', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'source-patient', valueReference: { reference: `Patient/${source.id}` } },
        { name: 'target-patient', valueReference: { reference: `Patient/${target.id}` } },
      ],
    });
    assert.equal(merge.status, 200);
    const moved = (await (await platform.fetch(`/fhir/Observation/${lab.id}`)).json()) as Observation;
    assert.equal(moved.subject?.reference, `Patient/${target.id}`);
    const unmerge = await post<Parameters>('/fhir/Patient/$unmerge', {
      resourceType: 'Parameters',
      parameter: [{ name: 'source-patient', valueReference: { reference: `Patient/${source.id}` } }],
    });
    assert.equal(unmerge.status, 200);
    const back = (await (await platform.fetch(`/fhir/Observation/${lab.id}`)).json()) as Observation;
    assert.equal(back.subject?.reference, `Patient/${source.id}`);
    const bad = await post<OperationOutcome>('/fhir/Patient/$merge', {
      resourceType: 'Parameters',
      parameter: [{ name: 'source-patient', valueString: 'x' }],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.resourceType, 'OperationOutcome');
  });

  test('linking two records makes a golden record; the review queue answers', async () => {
    const a = await create<Patient>({ resourceType: 'Patient', name: [{ family: 'Lee', given: ['Ann'] }] });
    const b = await create<Patient>({ resourceType: 'Patient', name: [{ family: 'Lee', given: ['Annie'] }] });
    const linked = await post<{ golden: Patient; members: string[] }>('/api/identity/link', {
      recordIds: [a.id, b.id],
    });
    assert.equal(linked.status, 200);
    assert.deepEqual(linked.body.members.sort(), [a.id, b.id].sort());
    const queue = (await (await platform.fetch('/api/identity/review')).json()) as { items: unknown[] };
    assert.ok(Array.isArray(queue.items));
    const kpis = (await (await platform.fetch('/api/identity/kpis')).json()) as {
      goldenRecords: number;
      duplicateRate: number;
      perWeek: Record<string, { merges: number }>;
    };
    assert.ok(kpis.goldenRecords >= 1);
    assert.ok(kpis.duplicateRate > 0);
    assert.ok(Object.values(kpis.perWeek).some((week) => week.merges >= 1));
  });

  test('a new FHIR Patient or HL7 ADT for a known person lands on the existing golden record; $match explains', async () => {
    const maya = {
      resourceType: 'Patient',
      name: [{ family: 'Adeyemi', given: ['Maya'] }],
      birthDate: '1990-02-14',
      gender: 'female',
      telecom: [{ system: 'phone', value: '217-555-0199' }],
      address: [{ postalCode: '62704' }],
    };
    const first = await create<Patient>(maya);
    await create<Patient>({
      ...maya,
      name: [{ family: 'Adeyemi', given: ['May'] }],
      identifier: [{ system: 'http://lab.example/mrn', value: 'L-1' }],
    });
    await platform.worker.drain();
    const golden = (await (await platform.fetch(`/fhir/Patient/${first.id}`)).json()) as Patient;
    const goldenRef = golden.link?.find((link) => link.type === 'refer')?.other?.reference;
    assert.ok(goldenRef, 'the two records refer to one golden record');
    const adt = `MSH|^~\\&|REG|HOSP|TL|C|20261123||ADT^A04^ADT_A01|GOLD-1|P|2.5\rPID|1||H-9^^^HOSP^MR||Adeyemi^Maya||19900214|F|||^^^^62704||217-555-0199\r`;
    const ack = await platform.fetch('/hl7v2', {
      method: 'POST',
      headers: { 'content-type': 'x-application/hl7-v2+er7' },
      body: adt,
    });
    assert.match(await ack.text(), /MSA\|AA\|GOLD-1/);
    await platform.worker.drain();
    const hospital = (await (await platform.fetch('/fhir/Patient?identifier=H-9')).json()) as {
      entry: { resource: Patient }[];
    };
    assert.equal(
      hospital.entry[0]?.resource.link?.find((link) => link.type === 'refer')?.other?.reference,
      goldenRef,
    );
    const match = await post<{
      entry: {
        resource: Patient;
        search: { score: number; extension: { url: string; valueCode?: string }[] };
      }[];
    }>('/fhir/Patient/$match', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: { ...maya, id: undefined } },
        { name: 'count', valueInteger: 3 },
      ],
    });
    assert.equal(match.status, 200);
    assert.ok(match.body.entry.length >= 1);
    assert.ok(match.body.entry[0]!.search.score > 0.9);
    assert.equal(
      match.body.entry[0]!.search.extension.find((e) => e.url.endsWith('match-grade'))?.valueCode,
      'certain',
    );
  });

  test('$match grades certain / probable / possible, scores a probability, honours onlyCertainMatches and count; a pair explained can be certainly-not', async () => {
    const ruth = {
      resourceType: 'Patient',
      name: [{ family: 'Quillfeather', given: ['Ruth'] }],
      birthDate: '1961-03-22',
      gender: 'female',
      telecom: [{ system: 'phone', value: '0113 496 0555' }],
      address: [{ line: ['3 Mill Row'], city: 'Leeds', postalCode: 'LS6 2QT' }],
    };
    const same = await create<Patient>(ruth);
    const moved = await create<Patient>({
      ...ruth,
      telecom: [{ system: 'phone', value: '0161 496 0777' }],
      address: [{ line: ['8 Canal St'], city: 'Salford', postalCode: 'M5 4WT' }],
      gender: 'female',
      identifier: [{ system: 'urn:test', value: 'moved' }],
    });
    const namesake = await create<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Quillfeather', given: ['Ruth'] }],
      birthDate: '1964-09-02',
    });
    const stranger = await create<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Abara', given: ['Tobi'] }],
      birthDate: '1999-12-01',
      gender: 'male',
    });
    await platform.worker.drain();
    type Entry = {
      resource: Patient;
      search: { score: number; extension: { url: string; valueCode?: string }[] };
    };
    const match = async (...parameter: object[]) =>
      post<{ entry: Entry[] } & OperationOutcome>('/fhir/Patient/$match', {
        resourceType: 'Parameters',
        // Without phone and address (empty arrays are not FHIR JSON: the elements are left out).
        parameter: [{ name: 'resource', resource: withoutContact(ruth) }, ...parameter],
      });
    const gradeOf = (entry: Entry) =>
      entry.search.extension.find((e) => e.url.endsWith('/match-grade'))?.valueCode;
    const graded = (entries: Entry[]) => Object.fromEntries(entries.map((e) => [e.resource.id, gradeOf(e)]));

    const all = await match();
    assert.equal(all.status, 200);
    const grades = graded(all.body.entry);
    assert.equal(grades[same.id!], 'certain');
    assert.equal(grades[moved.id!], 'certain');
    assert.equal(grades[namesake.id!], 'possible', JSON.stringify(grades));
    assert.equal(grades[stranger.id!], undefined);
    for (const entry of all.body.entry) assert.ok(entry.search.score >= 0 && entry.search.score <= 1);
    const namesakeScore = all.body.entry.find((e) => e.resource.id === namesake.id)!.search.score;
    assert.ok(namesakeScore < 0.5, `a namesake born 3 years later is unlikely to be her: ${namesakeScore}`);

    const probe = { ...ruth, name: [{ family: 'Fairweather', given: ['Ruth'] }] };
    const probable = await post<{ entry: Entry[] }>('/fhir/Patient/$match', {
      resourceType: 'Parameters',
      parameter: [{ name: 'resource', resource: probe }],
    });
    const changed = probable.body.entry.find((e) => e.resource.id === same.id)!;
    assert.equal(gradeOf(changed), 'probable', 'a changed family name is for a person to look at');
    assert.ok(changed.search.score < 0.99, `and not scored as certain: ${changed.search.score}`);

    const certainOnly = await match({ name: 'onlyCertainMatches', valueBoolean: true });
    assert.deepEqual([...new Set(certainOnly.body.entry.map(gradeOf))], ['certain']);
    assert.equal((await match({ name: 'count', valueInteger: 1 })).body.entry.length, 1);
    const badCount = await match({ name: 'count', valueInteger: 0 });
    assert.equal(badCount.status, 400);
    assert.equal(badCount.body.resourceType, 'OperationOutcome');

    const explained = await match({
      name: 'candidate',
      valueReference: { reference: `Patient/${stranger.id}` },
    });
    assert.equal(explained.status, 200);
    assert.deepEqual(explained.body.entry.map(gradeOf), ['certainly-not']);
  });

  test('HL7 ADT A40 merges the prior record into the surviving one', async () => {
    const send = async (body: string) =>
      (
        await platform.fetch('/hl7v2', {
          method: 'POST',
          headers: { 'content-type': 'x-application/hl7-v2+er7' },
          body,
        })
      ).text();
    const msh = (type: string, id: string) => `MSH|^~\\&|REG|HOSP|TL|C|20261123||${type}|${id}|P|2.5`;
    await send(`${msh('ADT^A04^ADT_A01', 'A40-a')}\rPID|1||OLD-7^^^HOSP^MR||Nwosu^Ada||19700101|F\r`);
    await send(`${msh('ADT^A04^ADT_A01', 'A40-b')}\rPID|1||NEW-7^^^HOSP^MR||Nwosu^Adaeze||19700101|F\r`);
    const ack = await send(
      `${msh('ADT^A40^ADT_A39', 'A40-c')}\rPID|1||NEW-7^^^HOSP^MR||Nwosu^Adaeze||19700101|F\rMRG|OLD-7^^^HOSP^MR\r`,
    );
    assert.match(ack, /MSA\|AA\|A40-c/);
    await platform.worker.drain();
    const old = (
      (await (await platform.fetch('/fhir/Patient?identifier=OLD-7')).json()) as {
        entry: { resource: Patient }[];
      }
    ).entry[0]!.resource;
    assert.equal(old.active, false);
    assert.ok(old.link?.some((link) => link.type === 'replaced-by'));
    const tasks = (await (await platform.fetch('/fhir/Task?status=completed')).json()) as {
      entry?: { resource: { statusReason?: { text?: string } } }[];
    };
    assert.ok(tasks.entry?.some((entry) => /merged Patient\//.test(entry.resource.statusReason?.text ?? '')));
  });
});

function withoutContact<T extends { telecom?: unknown; address?: unknown }>(patient: T) {
  const { telecom: _telecom, address: _address, ...rest } = patient;
  return rest;
}

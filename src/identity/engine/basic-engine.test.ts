import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import { blockingKeysOf, createBasicEngine } from './basic-engine.ts';
import { toMatchRecord } from './match-record.ts';
import { jaroWinkler, normalizeName, normalizePhone, soundex } from './normalize.ts';
import { areNicknames, extendNicknames } from './nicknames.ts';

const maya: Patient = {
  resourceType: 'Patient',
  name: [{ family: 'Okafor', given: ['Maya'] }],
  birthDate: '1988-04-12',
  gender: 'female',
  telecom: [
    { system: 'phone', value: '+1 (217) 555-0101' },
    { system: 'email', value: 'Maya.Okafor@example.org' },
  ],
  address: [{ postalCode: '62701' }],
};
const engine = createBasicEngine();

test('normalization: accents, titles, punctuation, phones', () => {
  assert.equal(normalizeName('Dr. José-María  Núñez Jr'), 'jose maria nunez');
  assert.equal(normalizePhone('+1 (217) 555-0101'), '2175550101');
  assert.equal(soundex('Robert'), soundex('Rupert'));
  assert.ok(jaroWinkler('martha', 'marhta') > 0.95);
});

test('nicknames from the built-in table and from a CSV', () => {
  assert.ok(areNicknames('robert', 'bob'));
  assert.ok(!areNicknames('robert', 'william'));
  extendNicknames('name,nickname\nwolfgang,wolfie\n');
  assert.ok(areNicknames('wolfgang', 'wolfie'));
});

test('the same person with a nickname, a typo in the birth date and a new phone is auto-linked, with reasons', () => {
  const may: Patient = {
    ...maya,
    name: [{ family: 'Okafor', given: ['May'] }],
    birthDate: '1988-04-21',
    telecom: [
      { system: 'phone', value: '217 555 9999' },
      { system: 'email', value: 'maya.okafor@example.org' },
    ],
  };
  const outcome = engine.compare(maya, may);
  assert.equal(outcome.band, 'auto-link');
  const levels = Object.fromEntries(outcome.explanation.map((field) => [field.field, field.level]));
  assert.deepEqual(
    [levels.given, levels.birthDate, levels.phone, levels.email],
    ['nickname', 'typo', 'different', 'shared'],
  );
});

test('swapped given and family names still match; a different person does not', () => {
  assert.notEqual(
    engine.compare(maya, { ...maya, name: [{ family: 'Maya', given: ['Okafor'] }] }).band,
    'no-link',
  );
  const other: Patient = {
    resourceType: 'Patient',
    name: [{ family: 'Lee', given: ['Ann'] }],
    birthDate: '1951-02-03',
    gender: 'female',
  };
  assert.equal(engine.compare(maya, other).band, 'no-link');
});

test('a twin (same family, birth date, phone; different given name) is not auto-linked', () => {
  const twin: Patient = {
    ...maya,
    name: [{ family: 'Okafor', given: ['Nneka'] }],
    telecom: [{ system: 'phone', value: '217-555-0101' }],
  };
  assert.notEqual(engine.compare(maya, twin).band, 'auto-link');
});

test('swapped birth-year digits: a generation apart is a parent (review), 63 years apart a slip (auto-link)', () => {
  const born = (birthDate: string): Patient => ({ ...maya, birthDate });
  // 1958 / 1985: a parent and child who share a name, a household and a birthday look so.
  assert.equal(engine.compare(born('1958-04-12'), born('1985-04-12')).band, 'review');
  // 1918 / 1981: no parent is 63 years older than the child; the same person, one keystroke.
  assert.equal(engine.compare(born('1918-04-12'), born('1981-04-12')).band, 'auto-link');
});

test('blocking keys survive a typo in any one field', () => {
  const keys = new Set(blockingKeysOf(toMatchRecord(maya)));
  const typo = blockingKeysOf(toMatchRecord({ ...maya, name: [{ family: 'Okafur', given: ['Maya'] }] }));
  assert.ok(typo.some((key) => keys.has(key)));
  const newPhone = blockingKeysOf(toMatchRecord({ ...maya, telecom: [] }));
  assert.ok(newPhone.some((key) => keys.has(key)));
});

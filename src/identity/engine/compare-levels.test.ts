import { test } from 'node:test';
import assert from 'node:assert/strict';
import { birthDateLevel } from './compare-dates.ts';
import { familyNameLevel, givenNameLevel } from './compare-names.ts';
import { postcodeLevel } from './compare-places.ts';
import { emailLevel, identifierLevel } from './compare-contacts.ts';
import type { MatchRecord } from './match-record.ts';

const person = (given: string, family: string): MatchRecord => ({
  given,
  family,
  nameWords: [given, family],
  birthDate: '',
  gender: '',
  phones: [],
  emails: [],
  postcode: '',
  street: '',
  city: '',
  birthPlace: '',
  identifiers: [],
});

test('birth dates: a keyed digit, swapped day and month, within a month, partial dates', () => {
  assert.equal(birthDateLevel('1971-06-24', '1971-06-24'), 'exact');
  assert.equal(birthDateLevel('1971-06-24', '1971-05-24'), 'typo');
  assert.equal(birthDateLevel('1988-04-12', '1988-12-04'), 'day-month-swapped');
  assert.equal(birthDateLevel('1990-01-30', '1990-02-14'), 'within-month');
  assert.equal(birthDateLevel('1990-01-30', '1990-08-14'), 'same-year');
  assert.equal(birthDateLevel('1990-01-30', '1957-08-14'), 'different');
  assert.equal(birthDateLevel('1990-01', '1990-01-17'), 'within-month');
  assert.equal(birthDateLevel('', '1990-01-17'), undefined);
});

test('names: swapped (also with a typo), nickname, one typo, sound-alike, initial', () => {
  assert.equal(givenNameLevel(person('isla', 'hall'), person('hall', 'isla')), 'swapped');
  assert.equal(familyNameLevel(person('caleb', 'rwoe'), person('rowe', 'caleb')), 'swapped');
  assert.equal(givenNameLevel(person('robert', 'x'), person('bob', 'x')), 'nickname');
  assert.equal(givenNameLevel(person('luas', 'x'), person('lucas', 'x')), 'typo');
  assert.equal(familyNameLevel(person('a', 'smith'), person('a', 'smyth')), 'typo');
  assert.equal(givenNameLevel(person('j', 'x'), person('james', 'x')), 'initial');
  assert.equal(givenNameLevel(person('maya', 'x'), person('nneka', 'x')), 'different');
});

test('postcodes, emails and identifiers grade near misses', () => {
  assert.equal(postcodeLevel('TQ138DF', 'TQ138JR'), 'district');
  assert.equal(postcodeLevel('4223', '4232'), 'typo');
  assert.equal(emailLevel(['evied56@harris-bailey.net'], ['evihd56@earris-bailey.net']), 'similar');
  assert.equal(emailLevel(['maya@a.org'], ['maya@b.org']), 'same-user');
  assert.equal(identifierLevel(['ssn|5304218'], ['ssn|5304281']), 'typo');
  assert.equal(identifierLevel(['ssn|5304218'], ['ssn|9999999']), 'same-system-different');
  assert.equal(identifierLevel(['ssn|5304218'], ['mrn|5304218']), undefined);
});

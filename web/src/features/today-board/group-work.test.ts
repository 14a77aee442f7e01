import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupWork } from './group-work.ts';

const referral = (task: string) => ({
  task,
  worklist: 'referrals-to-chase',
  title: 'Referral without a specialist report',
});

test('open work with the same title on the same list is one entry with its count, in first-seen order', () => {
  const groups = groupWork([
    referral('t1'),
    { task: 't2', worklist: 'referrals-to-chase', title: 'Referral to book' },
    referral('t3'),
  ]);
  assert.deepEqual(groups, [
    { title: 'Referral without a specialist report', worklist: 'referrals-to-chase', task: 't1', count: 2 },
    { title: 'Referral to book', worklist: 'referrals-to-chase', task: 't2', count: 1 },
  ]);
});

test('no open work, no entries', () => {
  assert.deepEqual(groupWork([]), []);
});

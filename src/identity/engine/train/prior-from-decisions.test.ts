import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from './estimate-u.ts';
import { priorShiftFromDecisions, shiftPrior, logOddsOf } from './prior-from-decisions.ts';

/** Decisions on pairs the model scores at `logOdds`, whose true log2 odds are `offset` bits higher. */
function decisions(count: number, offset: number) {
  const random = seededRandom(21);
  return Array.from({ length: count }, () => {
    const logOdds = -4 + random() * 8;
    return { logOdds, match: random() < 1 / (1 + 2 ** -(logOdds + offset)) };
  });
}

test('no decisions leave λ as it is; a few hundred recover the offset of the odds', () => {
  assert.equal(priorShiftFromDecisions([]), 0);
  for (const offset of [-3, 0, 3]) {
    const shift = priorShiftFromDecisions(decisions(400, offset));
    assert.ok(Math.abs(shift - offset) < 0.6, `offset ${offset}: fitted ${shift.toFixed(2)}`);
  }
});

test('a handful of decisions moves λ less than a few hundred saying the same', () => {
  const three = [0, 1, 2].map(() => ({ logOdds: 0, match: true }));
  const shift = priorShiftFromDecisions(three);
  assert.ok(shift > 0 && shift < 3, `${shift}`);
  assert.ok(priorShiftFromDecisions(decisions(400, 3)) > shift);
});

test('shifting the prior shifts the log2 odds; certainties stay certain', () => {
  assert.ok(Math.abs(logOddsOf(shiftPrior(0.001, 3)) - (logOddsOf(0.001) + 3)) < 1e-9);
  assert.equal(shiftPrior(1, -5), 1);
  assert.equal(shiftPrior(0, 5), 0);
  assert.equal(logOddsOf(1), 60);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { brier, calibrationTable, prAuc, rocAuc } from './metrics.ts';
import { withHistory, type BookingRecord } from './booking-record.ts';
import { crossValidateNoShow, evaluateNoShow, foldOf } from './evaluate-noshow.ts';
import { readNoShowCsv } from './read-noshow-csv.ts';
import { summarize } from './metrics.ts';
import { featureImportance } from './boosted-trees.ts';
import { FEWEST_FOR_TREES, trainNoShowModel } from './train-noshow-model.ts';

const DAY = 86_400_000;

test('metrics on hand-checked cases', () => {
  const perfect = [
    { risk: 0.9, noShow: true },
    { risk: 0.1, noShow: false },
  ];
  assert.equal(rocAuc(perfect), 1);
  assert.equal(prAuc(perfect), 1);
  assert.equal(rocAuc([...perfect, { risk: 0.9, noShow: false }]), 0.75); // one tie counts half
  assert.ok(Math.abs(brier(perfect) - 0.01) < 1e-12);
  assert.deepEqual(
    calibrationTable(perfect).map((bin) => [bin.count, bin.observed]),
    [
      [1, 0],
      [1, 1],
    ],
  );
});

test('history counts only outcomes known at booking time', () => {
  const base = { personId: 'p', sex: 'F', age: 30, flags: {} };
  const records: BookingRecord[] = [
    { ...base, appointmentId: 'a', bookedAt: 0, startsAt: 5 * DAY, noShow: true },
    { ...base, appointmentId: 'b', bookedAt: 3 * DAY, startsAt: 10 * DAY, noShow: false },
    { ...base, appointmentId: 'c', bookedAt: 7 * DAY, startsAt: 12 * DAY, noShow: true },
  ];
  const [a, b, c] = withHistory(records);
  assert.deepEqual([a!.priorNoShows, a!.priorVisits], [0, 0]);
  assert.deepEqual([b!.priorNoShows, b!.pendingBookings], [0, 1], 'a was still to come when b was booked');
  assert.deepEqual([c!.priorNoShows, c!.priorVisits, c!.pendingBookings], [1, 0, 1]);
  assert.deepEqual([b!.earlierBookings, b!.daysSinceLast, b!.lastWasNoShow], [1, -1, -1]);
  assert.deepEqual(
    [c!.earlierBookings, c!.daysSinceLast, c!.lastWasNoShow],
    [2, 2, 1],
    'a, on day 5, was missed',
  );
});

/** A synthetic clinic where booking far ahead and earlier no-shows make missing likelier. */
function syntheticBookings(count: number): BookingRecord[] {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, (_, n) => {
    const lead = Math.floor(random() * 30);
    const bookedAt = Date.UTC(2026, 0, 1) + Math.floor(random() * 60) * DAY + 9 * 3_600_000;
    const p = 1 / (1 + Math.exp(-(-2.5 + 0.07 * lead)));
    return {
      appointmentId: String(n),
      personId: String(n % 400),
      sex: random() < 0.5 ? 'F' : 'M',
      age: Math.floor(random() * 90),
      bookedAt,
      startsAt: bookedAt - 9 * 3_600_000 + lead * DAY,
      flags: {},
      noShow: random() < p,
    };
  });
}

for (const kind of ['logistic', 'boosted'] as const)
  test(`the ${kind} model learns a synthetic clinic: patient-grouped folds, calibrated, lead time carries it`, () => {
    const records = syntheticBookings(4000);
    const { pooled } = crossValidateNoShow(records, { folds: 4, kind });
    const summary = summarize(pooled);
    // One smooth effect is the logistic model's home ground; trees approximate it by steps.
    assert.ok(summary.rocAuc > (kind === 'logistic' ? 0.65 : 0.63), `AUC ${summary.rocAuc}`);
    assert.ok(summary.ece < 0.04, `ECE ${summary.ece}`);
    const { model } = evaluateNoShow({ train: records.slice(0, 3000), test: records.slice(3000), kind });
    assert.equal(model.kind, kind);
    if (model.kind === 'boosted') assert.equal(featureImportance(model.trees)[0]!.name, 'lead days');
    else {
      const weight = (name: string) => model.logistic.weights[model.logistic.names.indexOf(name)]!;
      assert.ok(weight('lead days (log)') > 0 || weight('lead 29+') > 0);
    }
    assert.equal(new Set(records.map((r) => foldOf(r.personId, 4))).size, 4);
  });

test('auto fits trees only on a large history', () => {
  assert.equal(trainNoShowModel(syntheticBookings(FEWEST_FOR_TREES - 1)).kind, 'logistic');
  assert.equal(trainNoShowModel(syntheticBookings(FEWEST_FOR_TREES)).kind, 'boosted');
});

test('boosted trees repeat exactly: the same rows give the same scores', () => {
  const records = syntheticBookings(2500);
  const scores = () =>
    evaluateNoShow({ train: records.slice(0, 2000), test: records.slice(2000), kind: 'boosted' }).scores;
  assert.deepEqual(scores(), scores());
});

const data = '../shared/data/noshow/appointments.csv';

test(
  'on the public no-show data: a patient-held-out fold scores ROC AUC ≥ 0.735 with ECE ≤ 0.03',
  {
    skip: existsSync(data)
      ? false
      : `${data} is absent (the public no-show data set; see ../shared/data/noshow/README.md)`,
  },
  () => {
    const records = readNoShowCsv(readFileSync(data, 'utf8'), data);
    const test = records.filter((record) => foldOf(record.personId, 5) === 0);
    const train = records.filter((record) => foldOf(record.personId, 5) !== 0);
    const { summary } = evaluateNoShow({ train, test });
    assert.ok(summary.rocAuc >= 0.735, `ROC AUC ${summary.rocAuc}`);
    assert.ok(summary.ece <= 0.03, `ECE ${summary.ece}`);
  },
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noshowCommand } from './noshow-command.ts';

const header =
  'PatientId,AppointmentID,Gender,ScheduledDay,AppointmentDay,Age,Neighbourhood,Scholarship,Hipertension,Diabetes,Alcoholism,Handcap,SMS_received,No_show';

/** Synthetic rows in the public data set's layout: booking further ahead, more no-shows. */
function rows(count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, n) => {
    const lead = (n * 7) % 30;
    const booked = new Date(Date.UTC(2016, 3, 1 + (n % 20), 9));
    const day = new Date(booked.getTime() + lead * 86_400_000).toISOString().slice(0, 10);
    const noShow = (n * 13) % 100 < 5 + lead * 1.5 ? 'Yes' : 'No';
    return `${offset + (n % 150)}.0,${offset + n},${n % 2 ? 'F' : 'M'},${booked.toISOString().replace('T', ' ').slice(0, 19)},${day},${n % 80},CENTRO,0,${n % 3 === 0 ? 1 : 0},0,0,0,0,${noShow}`;
  });
}

/** A fresh folder with a training file (600 rows) and a test file (200 other rows). */
function trainAndTest(): { folder: string; train: string; testFile: string } {
  const folder = mkdtempSync(join(tmpdir(), 'noshow-'));
  const train = join(folder, 'train.csv');
  const testFile = join(folder, 'test.csv');
  writeFileSync(train, [header, ...rows(600, 0)].join('\n'));
  writeFileSync(testFile, [header, ...rows(200, 10_000)].join('\n'));
  return { folder, train, testFile };
}

test('noshow evaluate trains on one file, scores the other, prints the metrics and writes AppointmentID,risk', async () => {
  const { folder, train, testFile } = trainAndTest();
  const out = join(folder, 'scores.csv');
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => printed.push(line);
  try {
    assert.equal(await noshowCommand(['evaluate', '--train', train, '--test', testFile, '--out', out]), 0);
  } finally {
    console.log = log;
  }
  const text = printed.join('\n');
  for (const metric of ['ROC AUC', 'PR AUC', 'Brier', 'ECE', 'calibration', 'by age band', 'by sex'])
    assert.ok(text.includes(metric), metric);
  const scores = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(scores[0], 'AppointmentID,risk');
  assert.equal(scores.length, 201);
  assert.match(scores[1]!, /^10000,0\.\d+$/);
  rmSync(folder, { recursive: true, force: true });
});

test('noshow evaluate names a missing column', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'noshow-'));
  const bad = join(folder, 'bad.csv');
  writeFileSync(bad, 'PatientId,AppointmentID\n1,2\n');
  await assert.rejects(noshowCommand(['evaluate', '--train', bad, '--test', bad]), /missing column/);
  rmSync(folder, { recursive: true, force: true });
});

test('noshow evaluate --model boosted fits trees and names what carries them; an unknown model is a usage error', async () => {
  const { folder, train, testFile } = trainAndTest();
  const printed: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (line: string) => printed.push(line);
  console.error = (line: string) => printed.push(line);
  try {
    assert.equal(
      await noshowCommand(['evaluate', '--train', train, '--test', testFile, '--model', 'boosted']),
      0,
    );
    assert.match(printed.join('\n'), /split gain[^]*lead days/);
    assert.equal(
      await noshowCommand(['evaluate', '--train', train, '--test', testFile, '--model', 'forest']),
      2,
    );
  } finally {
    console.log = log;
    console.error = error;
  }
  rmSync(folder, { recursive: true, force: true });
});

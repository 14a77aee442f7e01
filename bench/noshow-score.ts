// No-show risk scoring speed (issue 18: ≥ 10,000 appointments/s). Trains on the public no-show
// data when it is there (evaluation only: the model is never saved), else on the synthetic
// bookings of the demo generator's shape; then scores every appointment, history included,
// five times. `npx node bench/noshow-score.ts`
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  readNoShowCsv,
  scoreBookings,
  trainNoShowModel,
  type BookingRecord,
} from '../src/scheduling/index.ts';

const data = '../shared/data/noshow/appointments.csv';
const DAY = 86_400_000;

function synthetic(count: number): BookingRecord[] {
  return Array.from({ length: count }, (_, n) => ({
    appointmentId: String(n),
    personId: String(n % 5000),
    sex: n % 2 ? 'F' : 'M',
    age: n % 90,
    bookedAt: Date.UTC(2026, 0, 1) + (n % 60) * DAY,
    startsAt: Date.UTC(2026, 0, 1) + ((n % 60) + (n % 30)) * DAY,
    flags: {},
    noShow: n % 5 === 0,
  }));
}

const records = existsSync(data) ? readNoShowCsv(readFileSync(data, 'utf8'), data) : synthetic(30_000);
const trainStart = performance.now();
const model = trainNoShowModel(records);
const trainMs = performance.now() - trainStart;
const rounds = 5;
const start = performance.now();
for (let round = 0; round < rounds; round++) scoreBookings(model, records);
const seconds = (performance.now() - start) / 1000;
console.log(
  `no-show model: ${records.length} appointments (${existsSync(data) ? 'public data set' : 'synthetic'})`,
);
console.log(`  training (${model.kind}): ${(trainMs / 1000).toFixed(2)} s`);
console.log(
  `  scoring with history: ${Math.round((records.length * rounds) / seconds).toLocaleString('en')} appointments/s`,
);

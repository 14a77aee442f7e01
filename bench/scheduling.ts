// Scheduling benchmark (issue 18): 50 practitioners with weekly templates and 13 weeks of
// bookings (≈ 40k Appointments, each with its busy Slot), then over HTTP through the access
// checkpoint:
//   - `$find` for one week and one service (40 General Practice schedules), p50/p95,
//   - `$book` of proposals one after another, p50/p95,
//   - 200 concurrent `$book`s over 20 times: exactly one booking per time, and the rate.
// Reactions (risk scoring, reminders) run in the background worker, which is off here so the
// figures are the request path's own.
//   npx node bench/scheduling.ts [pglite|postgres ...] [--practitioners=50] [--weeks=13]
//   (BENCH_DATABASE_URL as for npm run bench; a smaller clinic for the embedded database)
import { cpus, loadavg } from 'node:os';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { ms, percentile, timeEach } from './lib/stats.ts';
import { startBenchPlatform, type BenchBackend, type BenchPlatform } from './lib/bench-platform.ts';
import { seedBenchClinic, type BenchClinic } from './lib/scheduling-clinic.ts';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const option = (name: string, fallback: number) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const shape = { practitioners: option('practitioners', 50), weeks: option('weeks', 13) };
/** Practitioners 0–39 offer General Practice (`scheduling-clinic.ts`): the schedules `$find` looks at. */
const gpSchedules = Math.min(shape.practitioners, 40);
const DAY = 86_400_000;

interface Client {
  platform: BenchPlatform;
  headers: Record<string, string>;
}

async function find(client: Client, query: Record<string, string>): Promise<Appointment[]> {
  const response = await fetch(
    `${client.platform.url}/fhir/Appointment/$find?${new URLSearchParams(query)}`,
    {
      headers: client.headers,
    },
  );
  if (response.status !== 200) throw new Error(`$find: ${response.status} ${await response.text()}`);
  return ((await response.json()) as Bundle).entry!.map((entry) => entry.resource as Appointment);
}

/** `$book` of a proposal for a patient: the HTTP status. */
async function book(client: Client, request: { proposal: Appointment; patient: string }): Promise<number> {
  const appointment = {
    ...request.proposal,
    participant: [
      { actor: { reference: request.patient }, status: 'needs-action' },
      ...request.proposal.participant,
    ],
  };
  const response = await fetch(`${client.platform.url}/fhir/Appointment/$book`, {
    method: 'POST',
    headers: { ...client.headers, 'content-type': 'application/fhir+json' },
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: [{ name: 'appointment', resource: appointment }],
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

const week = (clinic: BenchClinic, offset: number) => ({
  start: new Date(clinic.monday + offset * 7 * DAY).toISOString(),
  end: new Date(clinic.monday + (offset + 1) * 7 * DAY).toISOString(),
  'service-type': '124',
});

async function findLatency(client: Client, clinic: BenchClinic): Promise<string> {
  const query = (i: number) => ({
    ...week(clinic, i % 6),
    patient: clinic.patients[(i * 31) % clinic.patients.length]!,
  });
  for (let i = 0; i < 10; i++) await find(client, query(i));
  const samples = await timeEach(100, (i) => find(client, query(i)));
  return `$find, one week, one service (${gpSchedules} schedules), 20 proposals | 100 requests | p50 ${ms(percentile(samples, 50))} ms, **p95 ${ms(percentile(samples, 95))} ms** | ≤ 50 ms`;
}

async function bookLatency(client: Client, clinic: BenchClinic): Promise<string> {
  const proposals = await find(client, { ...week(clinic, 3), _count: '500' });
  const statuses: number[] = [];
  const samples = await timeEach(200, async (i) =>
    statuses.push(await book(client, { proposal: proposals[i]!, patient: clinic.patients[i]! })),
  );
  const booked = statuses.filter((status) => status === 201).length;
  return `$book of a proposal, one after another | 200 requests, ${booked} booked | p50 ${ms(percentile(samples, 50))} ms, **p95 ${ms(percentile(samples, 95))} ms** | ≤ 30 ms`;
}

/** 200 bookings at once, ten for each of 20 times; then each time must hold exactly one booking. */
async function race(client: Client, clinic: BenchClinic): Promise<string> {
  const times = (await find(client, { ...week(clinic, 4), _count: '20' })).slice(0, 20);
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      book(client, { proposal: times[i % 20]!, patient: clinic.patients[200 + i]! }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  let doubles = 0;
  for (const time of times) {
    const practitioner = time.participant.find((p) => p.actor?.reference?.startsWith('Practitioner/'))!;
    const query = `actor=${practitioner.actor!.reference}&date=${time.start}&status=booked&_count=50`;
    const response = await fetch(`${client.platform.url}/fhir/Appointment?${query}`, {
      headers: client.headers,
    });
    const bundle = (await response.json()) as Bundle;
    if ((bundle.entry ?? []).length !== 1) doubles++;
  }
  const created = statuses.filter((status) => status === 201).length;
  const conflicts = statuses.filter((status) => status === 409).length;
  return `200 concurrent $book over 20 times | ${created} booked, ${conflicts} × 409, other ${200 - created - conflicts}; times not booked exactly once: **${doubles}** | ${seconds.toFixed(2)} s, **${Math.round(200 / seconds)} requests/s** | no double booking`;
}

async function run(backend: BenchBackend): Promise<string[]> {
  const platform = await startBenchPlatform(backend, databaseUrl, { backgroundWorker: false });
  try {
    const seedStart = performance.now();
    const clinic = await seedBenchClinic(platform.repository, {
      practitioners: shape.practitioners,
      patients: 2000,
      weeks: shape.weeks,
      fill: 0.52,
    });
    const seeded = (performance.now() - seedStart) / 1000;
    const client = { platform, headers: { authorization: `Bearer ${await platform.token()}` } };
    // The machine's load next to each figure: other work on the same cores moves them.
    const withLoad = (row: string) => `| ${backend} | ${row} | ${loadavg()[0]!.toFixed(1)} |`;
    const rows = [
      withLoad(
        `seed: ${shape.practitioners} practitioners, ${shape.weeks} weeks, ${clinic.appointments} Appointments (+ their Slots) | | ${seeded.toFixed(0)} s | —`,
      ),
    ];
    rows.push(withLoad(await findLatency(client, clinic)));
    rows.push(withLoad(await bookLatency(client, clinic)));
    rows.push(withLoad(await race(client, clinic)));
    return rows;
  } finally {
    await platform.stop();
  }
}

const chosen = process.argv
  .slice(2)
  .filter((arg) => arg === 'pglite' || arg === 'postgres') as BenchBackend[];
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}\n`,
);
console.log(
  '| database | what | size | result | target | load (1 min) |\n| --- | --- | --- | --- | --- | --- |',
);
for (const backend of chosen.length > 0 ? chosen : (['postgres', 'pglite'] as BenchBackend[]))
  for (const row of await run(backend)) console.log(row);

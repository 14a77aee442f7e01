// FHIR Subscriptions benchmark (issue 17): p50/p95 from commit to notification. A real platform
// (every reaction running: identity, journey, engagement, connectors) with 20 active rest-hook
// Subscriptions on Observation (10 of them match every final result, 10 a code never written),
// a local HTTP receiver on loopback, and Observations POSTed at a steady rate; each latency is
// from the 201 (the commit) to the matching notification's arrival.
//   npx node bench/subscriptions.ts [pglite|postgres ...] [--count=200] [--rate=10]
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startBenchPlatform, type BenchBackend } from './lib/bench-platform.ts';
import { ms, percentile } from './lib/stats.ts';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const numberArg = (name: string, fallback: number) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const COUNT = numberArg('count', 200);
const RATE = numberArg('rate', 10);
const SUBSCRIPTIONS = 20;

/** The receiver: when each Observation's first notification arrived. */
async function startReceiver(): Promise<{ url: string; arrived: Map<string, number>; close(): void }> {
  const arrived = new Map<string, number>();
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const id = (JSON.parse(body) as { id: string }).id;
      if (!arrived.has(id)) arrived.set(id, performance.now());
      response.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived,
    close: () => server.close(),
  };
}

async function run(backend: BenchBackend): Promise<void> {
  const receiver = await startReceiver();
  const platform = await startBenchPlatform(backend, databaseUrl, {
    env: { SUBSCRIPTION_ALLOWED_HOSTS: '127.0.0.1' },
  });
  const headers = {
    authorization: `Bearer ${await platform.token()}`,
    'content-type': 'application/fhir+json',
  };
  const post = async (resource: object) => {
    const response = await fetch(
      `${platform.url}/fhir/${(resource as { resourceType: string }).resourceType}`,
      { method: 'POST', headers, body: JSON.stringify(resource) },
    );
    if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  for (let i = 0; i < SUBSCRIPTIONS; i++)
    await post({
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'bench',
      criteria: i % 2 === 0 ? 'Observation?status=final' : `Observation?code=http://loinc.org|never-${i}`,
      channel: { type: 'rest-hook', endpoint: `${receiver.url}/s${i}`, payload: 'application/fhir+json' },
    });
  const patient = await post({ resourceType: 'Patient', name: [{ family: 'Bench' }] });
  await platform.worker.drain();
  const committed = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: `bench ${i}` },
      subject: { reference: `Patient/${patient.id}` },
      valueQuantity: { value: i },
    };
    const { id } = await post(observation);
    committed.set(id, performance.now());
  }
  const deadline = performance.now() + 60_000;
  while (receiver.arrived.size < COUNT && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const latencies = [...committed].flatMap(([id, at]) =>
    receiver.arrived.has(id) ? [receiver.arrived.get(id)! - at] : [],
  );
  console.log(
    `${backend}: ${SUBSCRIPTIONS} subscriptions, ${COUNT} Observations at ${RATE}/s, ${latencies.length} notified: commit → first notification p50 ${ms(percentile(latencies, 50))} ms, p95 ${ms(percentile(latencies, 95))} ms, max ${ms(Math.max(...latencies))} ms`,
  );
  await platform.stop();
  receiver.close();
}

const backends = process.argv
  .slice(2)
  .filter((arg): arg is BenchBackend => arg === 'pglite' || arg === 'postgres');
for (const backend of backends.length > 0 ? backends : (['pglite'] as BenchBackend[])) await run(backend);

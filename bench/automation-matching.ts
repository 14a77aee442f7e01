// The live rule matcher on a real store (issue 17): 50 active rules, then per committed write
// what the change-event subscriber does — the rules watching it, the two versions read through
// the automation principal's checkpoint (audited), the trigger evaluated, a keyed run queued.
// By default the events go to the subscriber as the worker hands them over (`handleBatch`, in
// batches of the subscriber's batchSize); `--per-event` calls `handle` once per event instead.
// `npx node bench/automation-matching.ts [postgres|pglite] [writes=1000] [--per-event]`
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import type { DiagnosticReport } from '@medplum/fhirtypes';
import { loadRecipes, matchRulesOnChange, RuleCache, saveRule } from '../src/automation/index.ts';
import { ruleOf, step } from '../src/automation/testing/rule-builder.ts';
import { automationService } from '../src/server/automation-service.ts';
import { startBenchPlatform, type BenchBackend } from './lib/bench-platform.ts';

const backend = (process.argv[2] ?? 'pglite') as BenchBackend;
const writes = Number(process.argv[3] ?? 1000);
const perEvent = process.argv.includes('--per-event');
// `--profile=FILE`: a V8 CPU profile of the matching alone (not the setup), for DevTools.
const profileTo = process.argv.find((arg) => arg.startsWith('--profile='))?.slice('--profile='.length);
const platform = await startBenchPlatform(
  backend,
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  { backgroundWorker: false },
);
const repository = platform.repository;
for (const recipe of loadRecipes()) await saveRule(repository, recipe, { trusted: true });
for (let n = 0; n < 47; n++)
  await saveRule(
    repository,
    {
      ...ruleOf({
        title: `lab ${n}`,
        resourceType: 'DiagnosticReport',
        when: "%resource.status = 'final' and (%previous.empty() or %previous.status != 'final')",
        conditions: [`%resource.code.text = 'L${n}'`],
        actions: [step('send', { purpose: "'results-ready'" })],
      }),
      status: 'active',
    },
    { trusted: true },
  );
const patient = (await repository.create({ resourceType: 'Patient', name: [{ family: 'Bench' }] })).resource
  .id;
const events = [];
for (let n = 0; n < writes; n++) {
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: { text: `L${n % 60}` },
    subject: { reference: `Patient/${patient}` },
  };
  const { resource } = await repository.create(report);
  events.push({
    seq: String(n),
    txId: '0',
    resourceType: 'DiagnosticReport',
    id: resource.id,
    versionId: '1',
    action: 'create' as const,
    compartment: patient,
    occurredAt: resource.meta!.lastUpdated!,
  });
}
const deps = automationService({ repository, db: platform.db, clock: { now: () => new Date() } });
const matcher = matchRulesOnChange(deps, new RuleCache(deps.repository));
await matcher.handle(events[0]!); // warm-up: rules loaded and parsed
const profiler = profileTo ? new Session() : undefined;
profiler?.connect();
await profiler?.post('Profiler.enable');
await profiler?.post('Profiler.start');
const start = performance.now();
// CPU of this process (user + system), not wall time: the machine is shared, and a loaded
// machine stretches wall time but not the CPU an event costs here (the database's own CPU,
// in another process, is not counted).
const cpuBefore = process.cpuUsage();
const rest = events.slice(1);
if (perEvent || !matcher.handleBatch) for (const event of rest) await matcher.handle(event);
else
  for (let at = 0; at < rest.length; at += matcher.batchSize ?? 100)
    await matcher.handleBatch(rest.slice(at, at + (matcher.batchSize ?? 100)));
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(profileTo!, JSON.stringify(profile));
}
const cpuPerEvent = (cpu.user + cpu.system) / (writes - 1);
const { rules } = await new RuleCache(deps.repository).get();
const watching = rules.filter((rule) => rule.triggers.some((t) => t.resourceType === 'DiagnosticReport'));
console.log(
  `automation matcher on ${backend} (${perEvent || !matcher.handleBatch ? 'per event' : `batches of ${matcher.batchSize}`}): ${rules.length} active rules (${watching.length} watch DiagnosticReport), ${writes - 1} writes`,
);
console.log(
  `  ${Math.round((writes - 1) / seconds).toLocaleString('en')} events/s (reads, audit, evaluation, keyed runs queued)`,
);
console.log(
  `  ${Math.round(cpuPerEvent)} µs CPU per event in this process (${Math.round(1e6 / cpuPerEvent).toLocaleString('en')} events/s per core)`,
);
const queued = await platform.db.query<{ n: string }>(
  `SELECT count(*) AS n FROM job WHERE queue = 'automation-run'`,
);
console.log(`  ${queued.rows[0]!.n} runs queued (one per write whose lab rule acts)`);
await platform.stop();

// The soak benchmark's report: a row per minute and the three verdicts of issue 15 part 4.
import { ms, percentile } from './stats.ts';
import type { LoadRecord, Sample } from './soak-load.ts';

/** A reading of the platform every few seconds: its RSS and the reactions' backlog. */
export interface Reading {
  at: number;
  rssMb: number;
  backlog: number;
}

interface Minute {
  minute: number;
  acks: Sample[];
  reads: Sample[];
  writes: Sample[];
  readings: Reading[];
}

const within = (samples: Sample[], minute: number) =>
  samples.filter((s) => s.at >= minute * 60_000 && s.at < (minute + 1) * 60_000);

export function reportSoak(options: {
  record: LoadRecord;
  readings: Reading[];
  minutes: number;
  warmupMinutes: number;
}): void {
  const { record, readings, minutes, warmupMinutes } = options;
  const rows: Minute[] = Array.from({ length: minutes }, (_, minute) => ({
    minute,
    acks: within(record.ack, minute),
    reads: within(record.read, minute),
    writes: within(record.write, minute),
    readings: readings.filter((r) => r.at >= minute * 60_000 && r.at < (minute + 1) * 60_000),
  }));
  console.log(
    '\n| minute | HL7 msg/s | ACK p50 / p99 ms | FHIR req/s | read p99 ms | write p99 ms | RSS MB (end) | backlog (max) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const last = row.readings.at(-1);
    console.log(
      `| ${row.minute + 1}${row.minute < warmupMinutes ? ' (warm-up)' : ''} | ${(row.acks.length / 60).toFixed(1)} | ${p(row.acks, 50)} / ${p(row.acks, 99)} | ${((row.reads.length + row.writes.length) / 60).toFixed(1)} | ${p(row.reads, 99)} | ${p(row.writes, 99)} | ${last ? last.rssMb.toFixed(0) : '–'} | ${Math.max(0, ...row.readings.map((r) => r.backlog))} |`,
    );
  }
  verdicts(
    rows.slice(warmupMinutes),
    readings.filter((r) => r.at >= warmupMinutes * 60_000),
  );
  if (record.failures.length > 0)
    console.log(`failures: ${record.failures.length}, e.g. ${record.failures[0]}`);
  else console.log('failures: none (every ACK AA, every HTTP answer 2xx)');
}

const p = (samples: Sample[], at: number) =>
  samples.length > 0
    ? ms(
        percentile(
          samples.map((s) => s.ms),
          at,
        ),
      )
    : '–';

function verdicts(rows: Minute[], readings: Reading[]): void {
  const rss = readings.map((r) => r.rssMb);
  const mean = rss.reduce((sum, value) => sum + value, 0) / rss.length;
  const spread = Math.max(...rss.map((value) => Math.abs(value - mean) / mean)) * 100;
  console.log(
    `\nRSS after warm-up: ${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB, mean ${mean.toFixed(0)} MB, largest deviation ${spread.toFixed(1)} % (${spread <= 10 ? 'flat within ±10 %' : 'NOT within ±10 %'})`,
  );
  const backlogs = rows.map((row) => Math.max(0, ...row.readings.map((r) => r.backlog)));
  const growing = backlogs.length > 2 && backlogs.every((value, i) => i === 0 || value > backlogs[i - 1]!);
  console.log(
    `backlog (max per minute) after warm-up: ${backlogs.join(', ')} (${growing ? 'GROWING' : 'not growing'})`,
  );
  const p99s = rows.map((row) =>
    percentile(
      row.acks.map((s) => s.ms),
      99,
    ),
  );
  const readP99s = rows.map((row) =>
    percentile(
      [...row.reads, ...row.writes].map((s) => s.ms),
      99,
    ),
  );
  console.log(
    `ACK p99 per minute after warm-up: ${p99s.map(ms).join(', ')} ms (max/median ${(Math.max(...p99s) / percentile(p99s, 50)).toFixed(2)})`,
  );
  console.log(
    `FHIR p99 per minute after warm-up: ${readP99s.map(ms).join(', ')} ms (max/median ${(Math.max(...readP99s) / percentile(readP99s, 50)).toFixed(2)})`,
  );
}

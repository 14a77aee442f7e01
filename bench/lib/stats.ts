import { readFileSync } from 'node:fs';

/** Small helpers shared by the benchmarks: timing and percentiles. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export async function timeEach(times: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

export function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

/** Busy and idle CPU time of the whole machine (all cores), from /proc/stat, in seconds. */
export function machineCpu(): { busy: number; idle: number } {
  try {
    const fields = readFileSync('/proc/stat', 'latin1')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as number[];
    const hz = 100; // USER_HZ: /proc/stat counts in 1/100 s on Linux
    return {
      busy: (user! + nice! + system! + irq! + softirq! + steal!) / hz,
      idle: (idle! + iowait!) / hz,
    };
  } catch {
    return { busy: Number.NaN, idle: Number.NaN }; // not Linux
  }
}

/**
 * Where the CPU went during `run`: this process versus everything else on the machine (the
 * database server, on a dedicated benchmark machine), in core-seconds.
 */
export async function measureCpu<T>(
  run: () => Promise<T>,
): Promise<{ result: T; summary: string; ownSeconds: number }> {
  const machineBefore = machineCpu();
  const processBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(processBefore);
  const machineAfter = machineCpu();
  const ownSeconds = (own.user + own.system) / 1e6;
  const busy = machineAfter.busy - machineBefore.busy;
  const split = `(user ${(own.user / 1e6).toFixed(1)}, system ${(own.system / 1e6).toFixed(1)})`;
  const summary = `CPU over ${seconds.toFixed(1)} s: this process ${ownSeconds.toFixed(1)} core-s ${split}, rest of machine ${(busy - ownSeconds).toFixed(1)} core-s, idle ${(machineAfter.idle - machineBefore.idle).toFixed(1)} core-s`;
  return { result, summary, ownSeconds };
}

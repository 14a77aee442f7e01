import { readFileSync } from 'node:fs';
import type { SqlExecutor } from '../../src/store/index.ts';

/**
 * CPU seconds (user + system) of each PostgreSQL backend serving connections named
 * `applicationName`, read from /proc (the server runs on this machine). On a shared machine
 * this is the database's share of a run that machine-wide figures cannot isolate. Backends that
 * ended during the run are not counted (a busy pool keeps its connections).
 */
export async function backendCpu(db: SqlExecutor, applicationName: string): Promise<Map<number, number>> {
  const rows = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows.rows) {
    try {
      // Fields after the command name: state is the 1st, utime the 12th, stime the 13th (proc(5)).
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Not Linux, or the backend just ended.
    }
  }
  return cpu;
}

/** CPU seconds the backends used between two readings (backends new since `before` count from 0). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

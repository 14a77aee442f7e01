import { parseArgs } from 'node:util';
import { parseConfig } from '../kernel/config.ts';
import { startWorkerProcess } from '../server/index.ts';
import { runUntilSignal } from './until-signal.ts';

const usage = `usage: throughline worker

Runs only the background worker: identity match-on-write, merge requests and the journey
engine, reacting to the durable event stream of the database in DATABASE_URL. Start any number
beside platforms started with BACKGROUND_WORKER=off (their HTTP and MLLP listeners then spend
no time on reactions). Runs until SIGINT/SIGTERM.`;

/** `throughline worker`: the reactions on their own, until SIGINT/SIGTERM. */
export async function workerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean' } } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const config = parseConfig();
  if (!config.databaseUrl) {
    console.error('throughline worker needs DATABASE_URL: the embedded database belongs to one process');
    return 2;
  }
  const worker = await startWorkerProcess(config);
  worker.logger.info('Throughline worker is running');
  await runUntilSignal({
    stop: worker.stop,
    logger: worker.logger,
    graceSeconds: config.shutdownGraceSeconds,
  });
  return 0;
}

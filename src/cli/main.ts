// The `throughline` command: one entry point, one file per command.
import { isThroughlineError } from '../kernel/errors.ts';

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { describe: string; load: () => Promise<Command> }> = {
  start: {
    describe: 'start the platform (HTTP API; embedded database unless DATABASE_URL is set)',
    load: async () => (await import('./start-command.ts')).startCommand,
  },
  worker: {
    describe: 'run only the background worker (identity, journey) against DATABASE_URL',
    load: async () => (await import('./worker-command.ts')).workerCommand,
  },
  seed: {
    describe: 'fill an empty database with the generated demo clinic',
    load: async () => (await import('./seed-command.ts')).seedCommand,
  },
  hl7: {
    describe: 'hl7 send <files> --host --port: send HL7 v2 messages over MLLP and print the ACKs',
    load: async () => (await import('./hl7-command.ts')).hl7Command,
  },
  import: {
    describe: 'import FHIR bundles / ndjson / HL7 v2 (.hl7) files or folders',
    load: async () => (await import('./import-command.ts')).importCommand,
  },
  noshow: {
    describe:
      'noshow evaluate --train A.csv --test B.csv [--out scores.csv] | --data F: no-show model metrics',
    load: async () => (await import('./noshow-command.ts')).noshowCommand,
  },
  audit: {
    describe: 'audit verify: check the audit log hash chain; report the first altered or missing row',
    load: async () => (await import('./audit-command.ts')).auditCommand,
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)} ${command.describe}`);
  return `usage: throughline <command> [options]\n\ncommands:\n${lines.join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(usage());
    return name === undefined || name === '--help' ? 0 : 2;
  }
  return (await command.load())(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(isThroughlineError(error) ? error.message : error);
    process.exitCode = 1;
  },
);

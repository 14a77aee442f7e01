// A process that dies (SIGKILL: no handler, no cleanup) after writing every chunk of a file
// and before the rename that would publish it — the moment an atomic write must survive.
// Usage: node crash-mid-write.ts <folder> <name>
import { writeAtomically } from '../write-atomically.ts';

const [folder = '', name = ''] = process.argv.slice(2);

async function* rowsThenDeath(): AsyncIterable<string> {
  for (let i = 0; i < 1000; i++) yield `{"row":${i}}\n`;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to oneself is delivered before this process runs another line.
  await new Promise(() => {});
}

await writeAtomically({ folder, name }, rowsThenDeath());

#!/usr/bin/env node
// `npx throughline …` entry: re-runs the CLI on the project's pinned Node 24 (which runs
// TypeScript directly), whatever Node invoked this shim. Signals are passed on, so SIGTERM
// to this process stops the platform gracefully instead of orphaning it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
const nodeBinary = existsSync(pinned) ? pinned : process.execPath;
const child = spawn(nodeBinary, [join(root, 'src', 'cli', 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

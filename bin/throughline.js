#!/usr/bin/env node
// `npx throughline …` entry: re-runs the CLI on the project's pinned Node 24 (which runs
// TypeScript directly), whatever Node invoked this shim.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
const nodeBinary = existsSync(pinned) ? pinned : process.execPath;
const result = spawnSync(nodeBinary, [join(root, 'src', 'cli', 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

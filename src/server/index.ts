// Public face of the server module (the composition root).
export { startPlatform, type Platform } from './start-platform.ts';
export { buildApp } from './build-app.ts';
export { startWorkerProcess, type WorkerProcess } from './start-worker-process.ts';

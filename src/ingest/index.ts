// Public face of the ingest module: what the server and the CLI may use.
export { findImportFiles } from './import/find-import-files.ts';
export { importFiles, type ImportOptions } from './import/import-files.ts';
export type { ImportRetry } from './import/retry-unavailable.ts';
export {
  formatReport,
  type ImportReport,
  type ImportProgress,
  type ImportError,
} from './import/import-report.ts';
export { openPlatformRepository } from './open-platform-repository.ts';
export {
  receiveHl7v2Message,
  processStored,
  type Hl7v2Deps,
  type ReceiveResult,
} from './hl7v2/receive-hl7v2-message.ts';
export { createHl7v2Receiver, type Hl7v2Receiver } from './hl7v2/hl7v2-receiver.ts';
export { supportedMessages } from './hl7v2/mappings.ts';
export { importHl7Files, type Hl7ImportReport } from './hl7v2/import-hl7-files.ts';
export { rejectOversizedFrame } from './hl7v2/reject-oversized-frame.ts';

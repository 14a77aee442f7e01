// Public face of the store module: what other modules may use.
export type {
  FhirRepository,
  WriteResult,
  HistoryRequest,
  EverythingRequest,
  SearchRequest,
} from './fhir-repository.ts';
export type { SqlDatabase, SqlExecutor } from './sql/database.ts';
export { createFhirRepository, type RepositoryOptions } from './create-repository.ts';
export { openDatabase, type DatabaseSettings } from './open-database.ts';
export { migrate } from './migrate.ts';
export { outcomeOf } from './bundle/process-bundle.ts';

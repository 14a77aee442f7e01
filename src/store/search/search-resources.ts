import type { Bundle } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import type { SearchRequest } from './contract.ts';
import { ThroughlineError } from '../../kernel/errors.ts';

/** Runs a FHIR search and returns a `searchset` Bundle. (Placeholder until the engine lands.) */
export async function searchResources(_db: SqlExecutor, _request: SearchRequest): Promise<Bundle> {
  throw new ThroughlineError('NOT_SUPPORTED', 'search is not implemented yet');
}

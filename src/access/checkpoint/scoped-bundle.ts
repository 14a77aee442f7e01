import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { ThroughlineError, isThroughlineError } from '../../kernel/errors.ts';
import { outcomeOf, type BulkOptions, type FhirRepository } from '../../store/index.ts';
import type { Interaction } from '../scopes.ts';
import { conditionalScope, seen, storedForWrites, type Checkpoint } from './checkpoint.ts';
import { Hidden } from './guard.ts';
import { runGetEntry } from './bundle-get.ts';
import { describers, hideInResponse } from './results.ts';
import { prepareWrite } from './write-checks.ts';

/**
 * Batch and transaction Bundles through the checkpoint, entry by entry as the direct requests
 * would go: every GET is the caller's own scoped read or search (never the store's, never
 * judged as one `Bundle`), every write is checked like a direct write (visibility of what it
 * changes, write rules, ownership) and its conditional criteria run as the caller.
 */
export async function processScopedBundle(
  cp: Checkpoint,
  scoped: FhirRepository,
  request: { bundle: Bundle; options?: BulkOptions },
): Promise<Bundle> {
  const { bundle, options } = request;
  if (cp.policy.ownOnly)
    throw new ThroughlineError(
      'FORBIDDEN',
      'Batch and transaction Bundles are not available to patient apps',
    );
  // Reads of what entries change happen outside the caller's transaction (one connection on
  // PGlite): only system principals, which consent does not restrict, may write inside one.
  if (options?.transaction && cp.principal.kind !== 'system')
    throw new ThroughlineError('FORBIDDEN', 'Only system principals write inside a caller transaction');
  const entries = bundle?.entry ?? [];
  for (const [index, entry] of entries.entries()) checkEntry(cp, entry, index);
  if (bundle?.resourceType === 'Bundle' && bundle.type === 'batch') {
    const responses: BundleEntry[] = [];
    for (const [index, entry] of entries.entries())
      responses.push(await batchEntry(cp, scoped, { entry, index }));
    return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
  }
  if (bundle?.resourceType === 'Bundle' && bundle.type === 'transaction')
    return transaction(cp, scoped, { entries, options });
  return cp.repository.processBundle(bundle, options); // the store names what is wrong with it
}

/** One batch entry on its own: a failure is that entry's OperationOutcome, the rest go on. */
async function batchEntry(
  cp: Checkpoint,
  scoped: FhirRepository,
  { entry, index }: { entry: BundleEntry; index: number },
): Promise<BundleEntry> {
  try {
    if (isGet(entry)) return await runGetEntry(scoped, entry.request?.url ?? '');
    const response = await transaction(cp, scoped, { entries: [entry] });
    return response.entry?.[0] ?? { response: { status: '204 No Content' } };
  } catch (error) {
    if (!isThroughlineError(error)) throw error;
    const located = relocate(error, (at) => (at === 0 ? index : at));
    return { response: { status: String(located.httpStatus), outcome: outcomeOf(located) } };
  }
}

/**
 * The writes in one store transaction (all or nothing), each checked first; then the GETs,
 * which FHIR processes last, as the caller's own scoped calls.
 */
async function transaction(
  cp: Checkpoint,
  scoped: FhirRepository,
  request: { entries: BundleEntry[]; options?: BulkOptions },
): Promise<Bundle> {
  const { entries, options } = request;
  const writeIndexes = [...entries.keys()].filter((index) => !isGet(entries[index]!));
  // Inside a caller's transaction (system principals) nothing can be read first.
  const stored = options?.transaction
    ? new Map<string, Resource>()
    : await storedForWrites(
        cp,
        writeIndexes.flatMap((index) => byIdTarget(entries[index]!)),
      );
  const writes: BundleEntry[] = [];
  for (const index of writeIndexes) writes.push(await prepareEntry(cp, entries[index]!, { index, stored }));
  const written = writes.length > 0 ? await storeTransaction(cp, { writes, writeIndexes, options }) : [];
  const responses: BundleEntry[] = new Array(entries.length);
  writeIndexes.forEach((index, at) => (responses[index] = written[at]!));
  for (const [index, entry] of entries.entries())
    if (isGet(entry)) responses[index] = await getAfterCommit(scoped, entry, index);
  return { resourceType: 'Bundle', type: 'transaction-response', entry: responses };
}

async function storeTransaction(
  cp: Checkpoint,
  request: { writes: BundleEntry[]; writeIndexes: number[]; options?: BulkOptions },
): Promise<BundleEntry[]> {
  const { writes, writeIndexes, options } = request;
  const scope = await conditionalScope(cp, writes.flatMap(criteriaOf), {
    insideTransaction: !!options?.transaction,
  });
  const { ofBundle } = describers(cp.compartmentOf);
  try {
    const response = await cp.guard({
      action: 'bundle-transaction',
      resourceType: 'Bundle',
      run: async () =>
        hideInResponse(
          cp,
          await cp.repository.processBundle(
            { resourceType: 'Bundle', type: 'transaction', entry: writes },
            { ...options, scope },
          ),
        ),
      describe: ofBundle,
      auditTo: options?.transaction,
    });
    return response.entry ?? [];
  } catch (error) {
    throw isThroughlineError(error) ? relocate(error, (at) => writeIndexes[at] ?? at) : error;
  }
}

/** A write entry checked as the direct write would be, with its resource as it may be written. */
async function prepareEntry(
  cp: Checkpoint,
  entry: BundleEntry,
  at: { index: number; stored: Map<string, Resource> },
): Promise<BundleEntry> {
  const { type, id, query } = target(entry.request?.url ?? '');
  const method = entry.request?.method;
  const resource = entry.resource?.resourceType === type ? entry.resource : undefined;
  try {
    const stored = id && !query ? at.stored.get(`${type}/${id}`) : undefined;
    if (stored) await seen(cp, stored, 'r');
    if (method === 'DELETE' || !resource) return entry;
    return { ...entry, resource: prepareWrite(cp, resource, stored) };
  } catch (error) {
    if (error instanceof Hidden)
      throw new ThroughlineError('NOT_FOUND', `${type}/${id ?? ''} not found`, {
        expression: `Bundle.entry[${at.index}].request.url`,
      });
    throw relocate(error, () => at.index);
  }
}

/** GET entries run after the writes commit: a failing one is its own entry's outcome. */
async function getAfterCommit(
  scoped: FhirRepository,
  entry: BundleEntry,
  index: number,
): Promise<BundleEntry> {
  try {
    return await runGetEntry(scoped, entry.request?.url ?? '');
  } catch (error) {
    if (!isThroughlineError(error)) throw error;
    const located = relocate(error, () => index);
    return { response: { status: String(located.httpStatus), outcome: outcomeOf(located) } };
  }
}

/** An update or delete by id: what it would change must be visible to the caller. */
function byIdTarget(entry: BundleEntry): { type: string; id: string }[] {
  const { type, id, query } = target(entry.request?.url ?? '');
  return id && !query ? [{ type, id }] : [];
}

function criteriaOf(entry: BundleEntry): { resourceType: string; query: string }[] {
  const { type, query } = target(entry.request?.url ?? '');
  const criteria = entry.request?.method === 'POST' ? entry.request.ifNoneExist : query;
  return criteria ? [{ resourceType: type, query: criteria }] : [];
}

function target(url: string): { type: string; id?: string; query?: string } {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(/^\/+/, '');
  const [type = '', id] = path.split('/');
  return { type, id: id || undefined, query: at < 0 ? undefined : url.slice(at + 1) };
}

// An entry without a method is the store's to refuse, naming it.
const isGet = (entry: BundleEntry) => entry.request?.method === 'GET' || entry.request?.method === 'HEAD';

const methodInteraction: Record<string, Interaction> = { POST: 'c', PUT: 'u', PATCH: 'u', DELETE: 'd' };

/** The role matrix on each entry before anything runs: a refusal names the entry. */
function checkEntry(cp: Checkpoint, entry: BundleEntry, index: number): void {
  const url = entry.request?.url ?? '';
  const { type, id } = target(url);
  const interaction = isGet(entry)
    ? id && id !== '_search'
      ? 'r'
      : 's'
    : methodInteraction[entry.request?.method ?? ''];
  if (interaction && !cp.policy.canInteract(type, interaction))
    throw new ThroughlineError('FORBIDDEN', `Not allowed: ${entry.request?.method ?? 'GET'} ${type}`, {
      expression: `Bundle.entry[${index}].request`,
    });
}

/** The same error, with `Bundle.entry[i]` in its expressions renumbered (a sub-Bundle's index → the caller's). */
function relocate(error: unknown, indexOf: (at: number) => number): ThroughlineError {
  if (!isThroughlineError(error)) throw error;
  const renumber = (text: string | undefined) =>
    text?.replace(/Bundle\.entry\[(\d+)\]/g, (_, at: string) => `Bundle.entry[${indexOf(Number(at))}]`);
  return new ThroughlineError(error.code, renumber(error.message) ?? error.message, {
    issues: error.issues.map((issue) => ({
      message: renumber(issue.message) ?? issue.message,
      expression: renumber(issue.expression),
    })),
    cause: error,
  });
}

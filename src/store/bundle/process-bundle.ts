import type {
  Bundle,
  BundleEntry,
  BundleEntryResponse,
  OperationOutcome,
  Resource,
} from '@medplum/fhirtypes';
import { isThroughlineError, ThroughlineError } from '../../kernel/errors.ts';
import { validateResource } from '../../fhir/validate-resource.ts';
import type { StoreContext, TxContext } from '../store-context.ts';
import type { BulkOptions } from '../fhir-repository.ts';
import { writeResources } from '../write/write-resources.ts';
import type { CommittedWrite, PendingWrite } from '../write/pending-write.ts';
import { batchExtrasOf } from '../messages/message-batch-transaction.ts';
import { planEntries, processingOrder, type EntryPlan } from './plan-entries.ts';
import { rewriteReferences } from './rewrite-references.ts';
import { readEntry } from './read-entry.ts';

/**
 * `transaction`: every entry in one database transaction — all or nothing.
 * `batch`: every entry on its own; a failed entry gets an OperationOutcome, the rest go on.
 */
export async function processBundle(
  ctx: StoreContext,
  bundle: Bundle,
  options?: BulkOptions,
): Promise<Bundle> {
  if (bundle?.resourceType !== 'Bundle') {
    throw new ThroughlineError('INVALID_REQUEST', 'Expected a Bundle', { expression: 'resourceType' });
  }
  const entries = bundle.entry ?? [];
  if (bundle.type === 'transaction') {
    const scope = options?.scope;
    const responses = options?.transaction
      ? await processEntries({ ...ctx, tx: options.transaction, scope }, entries, options)
      : await ctx.db.transaction((tx) => processEntries({ ...ctx, tx, scope }, entries, options));
    return { resourceType: 'Bundle', type: 'transaction-response', entry: responses };
  }
  if (bundle.type === 'batch') {
    const responses: BundleEntry[] = [];
    for (const entry of entries) responses.push(await processBatchEntry(ctx, entry, options));
    return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
  }
  throw new ThroughlineError(
    'INVALID_REQUEST',
    `Bundle.type must be transaction or batch, got "${bundle.type}"`,
    {
      expression: 'Bundle.type',
    },
  );
}

async function processBatchEntry(
  ctx: StoreContext,
  entry: BundleEntry,
  options?: BulkOptions,
): Promise<BundleEntry> {
  try {
    const [response] = await ctx.db.transaction((tx) =>
      processEntries({ ...ctx, tx, scope: options?.scope }, [entry]),
    );
    return response as BundleEntry;
  } catch (error) {
    if (!isThroughlineError(error)) throw error;
    return { response: { status: String(error.httpStatus), outcome: outcomeOf(error) } };
  }
}

async function processEntries(
  ctx: TxContext,
  entries: BundleEntry[],
  options?: BulkOptions,
): Promise<BundleEntry[]> {
  const idMap = new Map<string, string>();
  const batch = batchExtrasOf(options?.transaction);
  const plans = processingOrder(
    await planEntries(ctx, entries, {
      idMap,
      keepElements: options?.keepElements,
      criteriaLocked: batch?.criteriaLocked,
      matches: batch?.matches,
    }),
  );
  await rewriteReferences(ctx, plans, idMap);
  const writes = plans.flatMap((plan) => plan.writes);
  const alsoWrite = batch?.alsoWrite;
  // With `alsoWrite` the responses are built before the statement runs (from the planned
  // writes, which are what commits) and used for both.
  let planned: (BundleEntry | undefined)[] | undefined;
  const committed = await writeResources({ tx: ctx.tx, clock: ctx.clock }, writes, {
    validateChanged: validatorFor(plans),
    moreParts:
      alsoWrite &&
      ((results) =>
        alsoWrite(
          (planned = writeResponses(ctx, { plans, committed: results, entryCount: entries.length })),
        )),
  });
  const responses = planned ?? writeResponses(ctx, { plans, committed, entryCount: entries.length });
  for (const plan of plans) if (plan.method === 'GET') responses[plan.index] = await readEntry(ctx, plan.url);
  return responses as BundleEntry[];
}

/** A Bundle's plans in processing order, the writes they committed in that order, and its entry count. */
interface WrittenBundle {
  plans: EntryPlan[];
  committed: CommittedWrite[];
  entryCount: number;
}

/** Each write entry's response, by entry index (GET entries are read after the writes). */
function writeResponses(ctx: TxContext, written: WrittenBundle): (BundleEntry | undefined)[] {
  const { plans, committed } = written;
  const responses: (BundleEntry | undefined)[] = new Array(written.entryCount);
  let cursor = 0;
  for (const plan of plans) {
    const results = committed.slice(cursor, cursor + plan.writes.length);
    cursor += plan.writes.length;
    if (plan.method !== 'GET') responses[plan.index] = writeResponse(ctx, plan, results);
  }
  return responses;
}

/** Validates a write about to change a resource, naming its entry in any error. */
function validatorFor(plans: EntryPlan[]): (write: PendingWrite) => void {
  const entryOf = new Map<PendingWrite, number>();
  for (const plan of plans) for (const write of plan.writes) entryOf.set(write, plan.index);
  return (write) => {
    const index = entryOf.get(write);
    if (index === undefined)
      throw new ThroughlineError('INTERNAL', 'A write that belongs to no Bundle entry');
    if (write.resource) validateEntryResource(index, write.resource);
  };
}

function validateEntryResource(index: number, resource: Resource): void {
  try {
    validateResource(resource);
  } catch (error) {
    if (!isThroughlineError(error)) throw error;
    const entry = `Bundle.entry[${index}]`;
    throw new ThroughlineError(error.code, `${entry}: ${error.message}`, {
      issues: error.issues.map((issue) => ({
        message: issue.message,
        expression:
          `${entry}.resource${issue.expression ? `.${issue.expression.replace(/^[A-Z][A-Za-z]+\.?/, '')}` : ''}`.replace(
            /\.$/,
            '',
          ),
      })),
    });
  }
}

function writeResponse(ctx: TxContext, plan: EntryPlan, results: CommittedWrite[]): BundleEntry {
  if (plan.existing) {
    const meta = plan.existing.meta;
    return {
      fullUrl: `${ctx.baseUrl}/${plan.existing.resourceType}/${plan.existing.id}`,
      resource: plan.existing,
      response: {
        status: '200 OK',
        location: `${plan.existing.resourceType}/${plan.existing.id}/_history/${meta?.versionId}`,
        etag: `W/"${meta?.versionId}"`,
      },
    };
  }
  const result = results[0];
  if (!result || result.outcome === 'deleted' || result.outcome === 'not-found') {
    return { response: { status: '204 No Content' } };
  }
  const response: BundleEntryResponse = {
    status: result.outcome === 'created' ? '201 Created' : '200 OK',
    location: `${result.resourceType}/${result.id}/_history/${result.versionId}`,
    etag: `W/"${result.versionId}"`,
    lastModified: result.lastUpdated,
  };
  return {
    fullUrl: `${ctx.baseUrl}/${result.resourceType}/${result.id}`,
    resource: result.resource as Resource,
    response,
  };
}

export function outcomeOf(error: ThroughlineError): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: error.issues.map((issue) => ({
      severity: 'error',
      code: error.issueType as 'invalid',
      diagnostics: issue.message,
      ...(issue.expression ? { expression: [issue.expression] } : {}),
    })),
  };
}

import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../kernel/errors.ts';
import { memoizedCompartmentOf } from '../fhir/compartment.ts';
import type { FhirRepository, SqlExecutor, WriteResult } from '../store/index.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import type { Principal, RequestContext } from './principal.ts';
import { accessPolicy } from './policy/access-policy.ts';
import { loadRoleMatrix, type RoleMatrix } from './policy/role-matrix.ts';
import { consentGate } from './policy/consent-gate.ts';
import { holdGate, type HoldSetting } from './hold/hold-gate.ts';
import type { Checkpoint } from './checkpoint/checkpoint.ts';
import { guardOf, type Audit } from './checkpoint/guard.ts';
import { readHooks } from './checkpoint/read-hooks.ts';
import { describers } from './checkpoint/results.ts';
import { processScopedBundle } from './checkpoint/scoped-bundle.ts';
import { storedPageHook } from './checkpoint/stored-page.ts';
import { writeHooks } from './checkpoint/write-hooks.ts';
import { checkGrantWrite, checkReleaseWrite } from './checkpoint/write-checks.ts';

export interface ScopeOptions {
  /** The role matrix (default: the one that ships, `policy/role-matrix.json`). */
  matrix?: RoleMatrix;
  /** Patients the caller has an active break-glass grant for. */
  breakGlassPatients?: ReadonlySet<string>;
  /** For a patient's own token: the other records identity linked to their patient record (both sides agreeing). */
  linkedRecords?: readonly string[];
  /** The clinic's hold on results and the clock it counts by (absent: no hold). */
  resultHold?: HoldSetting;
}

/** Who the store is scoped to, and where the audit records of their calls go. */
export interface ScopedCaller {
  principal: Principal;
  context: RequestContext;
  /** The database the audit log is written to. */
  auditDb: SqlExecutor;
}

/**
 * The access checkpoint (house rule 7): the one place every read and write of FHIR data
 * passes. It returns the same FhirRepository port, scoped to the caller. Like HAPI FHIR's
 * consent service it is a lifecycle of small hooks (`checkpoint/`): may the caller do this at
 * all (`guard`, the role matrix narrowed by SMART scopes); what a search, chain, `_has` or
 * conditional criterion may look at (`scopedSearch`, `conditionalScope`); may they see each
 * result (`seen`, `visibleOnly`: compartment, labels, consent, masks — what they may not see
 * reads as not found); may they write this (`prepareWrite`: element rules, ownership, labels);
 * and the audit record of every call, awaited before any data is returned.
 */
export function scopeRepository(
  repository: FhirRepository,
  caller: ScopedCaller,
  options: ScopeOptions = {},
): FhirRepository {
  const cp = checkpointOf({ repository, ...caller, options });
  const scoped: FhirRepository = {
    ...readHooks(cp),
    readStoredPage: storedPageHook(cp),
    ...writeHooks(cp),
    processBundle: (bundle, bulk) => processScopedBundle(cp, scoped, { bundle, options: bulk }),
    refreshStatistics: () => repository.refreshStatistics(),
    importResources: (resources) => importScoped(cp, resources),
  };
  return scoped;
}

function checkpointOf(deps: {
  repository: FhirRepository;
  principal: Principal;
  context: RequestContext;
  auditDb: SqlExecutor;
  options: ScopeOptions;
}): Checkpoint {
  const { repository, principal, context, auditDb, options } = deps;
  const breakGlassPatients = options.breakGlassPatients ?? new Set<string>();
  // Audit, consent and ownership all ask for each returned resource's patient: once is enough.
  const compartmentOf = memoizedCompartmentOf();
  const matrix = options.matrix ?? loadRoleMatrix();
  const policy = accessPolicy(matrix, principal, {
    breakGlassPatients,
    compartmentOf,
    linkedRecords: options.linkedRecords,
  });
  const gate = consentGate(repository, principal, {
    ownOnly: policy.ownOnly,
    breakGlassPatients,
    brokeGlassFor: policy.brokeGlassFor,
    compartmentOf,
  });
  const audit: Audit = (entry: AuditEntry, auditTo: SqlExecutor = auditDb) =>
    recordAudit(
      auditTo,
      { principal, context },
      {
        ...entry,
        ...(policy.brokeGlassFor.size > 0
          ? { detail: `break-glass${entry.detail ? ` ${entry.detail}` : ''}` }
          : {}),
      },
    );
  const hold = holdGate(repository, {
    setting: options.resultHold,
    ownOnly: policy.ownOnly,
    patients: policy.ownPatients,
  });
  return { repository, principal, policy, gate, hold, guard: guardOf(policy, audit), compartmentOf };
}

function importScoped(cp: Checkpoint, resources: Resource[]) {
  const { policy } = cp;
  const { patientsOf } = describers(cp.compartmentOf);
  for (const type of new Set(resources.map((resource) => resource.resourceType)))
    if (policy.ownOnly || !policy.canInteract(type, 'c') || !policy.canInteract(type, 'u'))
      throw new ThroughlineError('FORBIDDEN', `Not allowed: import ${type}`);
  for (const resource of resources) {
    checkGrantWrite(cp.principal, resource);
    checkReleaseWrite(cp.principal, resource);
  }
  return cp.guard({
    action: 'import',
    resourceType: 'Bundle',
    interaction: 'c',
    run: () => cp.repository.importResources(resources),
    describe: (results: WriteResult[]) => ({ patients: results.flatMap((r) => patientsOf(r.resource)) }),
  });
}

import { mayPerform, parseScope, scopesAllow, type Principal } from '../../access/index.ts';
import { r4ResourceTypes } from '../../fhir/definitions.ts';
import { ThroughlineError } from '../../kernel/errors.ts';

/** SMART Backend Services: a bulk export is a system's, read with `system/…` scopes only. */
const systemScopesOf = (principal: Principal) =>
  principal.scopes.filter((scope) => parseScope(scope)?.context === 'system');

/**
 * Who may export (IG v2 §4, SMART Backend Services): a system client (client credentials) with
 * a `system/` read scope, whose role is granted `bulk-export`. A person's token — `user/` or
 * `patient/` scopes — gets 403, whatever its role: an export names every patient.
 */
export function requireBulkExport(principal: Principal, types: string[] | undefined): void {
  const scopes = systemScopesOf(principal);
  if (principal.kind !== 'system' || scopes.length === 0)
    throw new ThroughlineError('FORBIDDEN', 'Bulk export needs a system client with system/ read scopes');
  if (!mayPerform(principal, 'bulk-export'))
    throw new ThroughlineError('FORBIDDEN', 'This client is not granted bulk export');
  for (const type of types ?? [])
    if (!scopesAllow(scopes, type, 's'))
      throw new ThroughlineError('FORBIDDEN', `No system scope lets this client read ${type}`, {
        expression: '_type',
      });
}

/** A system-level export without `_type`: every type the client's system scopes let it read. */
export function systemExportTypes(principal: Principal): string[] {
  const scopes = systemScopesOf(principal);
  return [...r4ResourceTypes()].filter((type) => scopesAllow(scopes, type, 's')).sort();
}

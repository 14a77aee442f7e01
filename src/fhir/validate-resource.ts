import { OperationOutcomeError, validateResource as medplumValidate } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError, type ErrorIssue } from '../kernel/errors.ts';
import { isValidFhirId } from '../kernel/ids.ts';
import { checkPrototypeKeys } from '../kernel/safe-json.ts';
import { isPlainlyValid } from './check-structure.ts';
import { isResourceType, loadFhirDefinitions } from './definitions.ts';
import { checkRequiredBindings } from './required-bindings.ts';

/**
 * Validates a resource against the R4 StructureDefinitions (cardinality, types, required
 * bindings, invariants) and translates Medplum's OperationOutcome into a coded error that keeps
 * every issue's expression. A resource the fast walk (`check-structure.ts`) finds plainly valid
 * is accepted at once; every other one is judged by Medplum's validator, so the outcome is
 * Medplum's in every case (proven by `validate-resource-fast.test.ts`).
 */
export function validateResource(input: unknown): Resource {
  const resource = checkEnvelope(input);
  // The walk refuses any key it does not know, prototype keys included, so a resource it accepts
  // has none: the prototype-key walk is needed only on Medplum's path.
  if (isPlainlyValid(resource)) return resource;
  return validateWithMedplum(resource);
}

/** The validator as it was before the fast walk: the reference the property test compares with. */
export function validateResourceWithMedplum(input: unknown): Resource {
  return validateWithMedplum(checkEnvelope(input));
}

/** A JSON object with a known resourceType and a valid id, if any. */
function checkEnvelope(input: unknown): Resource {
  loadFhirDefinitions();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ThroughlineError('INVALID_RESOURCE', 'A resource must be a JSON object');
  }
  const resourceType = (input as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== 'string') {
    throw new ThroughlineError('INVALID_RESOURCE', 'Missing resourceType', { expression: 'resourceType' });
  }
  if (!isResourceType(resourceType)) {
    throw new ThroughlineError('INVALID_RESOURCE', `Unknown resource type "${resourceType}"`, {
      expression: 'resourceType',
    });
  }
  const id = (input as { id?: unknown }).id;
  if (id !== undefined && (typeof id !== 'string' || !isValidFhirId(id))) {
    throw new ThroughlineError('INVALID_RESOURCE', `Invalid id "${String(id)}"`, {
      expression: `${resourceType}.id`,
    });
  }
  return input as Resource;
}

function validateWithMedplum(resource: Resource): Resource {
  // Medplum looks element names up in plain objects, where these are inherited and pass unchecked.
  checkPrototypeKeys(resource);
  const tokens: Record<string, { value: unknown; path: string }[]> = {};
  let issues: ErrorIssue[];
  try {
    // Medplum returns non-fatal issues (warnings) and throws on errors.
    medplumValidate(resource, { collect: { tokens: tokens as never } });
    issues = checkRequiredBindings(tokens);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    issues = (error.outcome.issue ?? [])
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => ({
        message: issue.details?.text ?? issue.diagnostics ?? 'Invalid',
        expression: issue.expression?.[0],
      }));
  }
  if (issues.length > 0) {
    throw new ThroughlineError('INVALID_RESOURCE', issues[0]!.message, { issues });
  }
  return resource;
}

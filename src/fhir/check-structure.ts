import {
  evalFhirPathTyped,
  getDataType,
  toTypedValue,
  UCUM,
  type InternalTypeSchema,
  type TypedValue,
} from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { isValidPrimitive } from './check-primitive.ts';
import {
  compiledType,
  resourceSchema,
  type CompiledConstraint,
  type CompiledProperty,
  type VacuousWhen,
} from './compile-type-schema.ts';
import { isResourceType } from './definitions.ts';

/**
 * The fast path of `validateResource`: true only where Medplum's validator, with the required
 * bindings checked on what it collects, accepts the resource; false means "not sure", and the
 * caller asks Medplum, whose outcome (issues, order, messages) stands. So an invalid resource is
 * always refused with Medplum's words, and a valid one costs one walk over the keys it holds.
 *
 * Why by hand: Medplum's crawler looks up every element of the schema, and every type of every
 * choice element, on every object (a Patient's ≈ 30 elements for its 5 keys), which was half of
 * its time; it has no option to walk only the keys present. This walk reads the same schemas and
 * evaluates the same FHIRPath invariants with the same variables, and gives up (false) on
 * anything Medplum reads subtly: primitive extensions (`_birthDate`), empty values, nulls, keys
 * it does not know, two values of one choice element, `resourceType` outside a resource. An
 * element whose key holds `undefined` is read as absent, as JSON and Medplum read it.
 */
export function isPlainlyValid(resource: Resource): boolean {
  try {
    return checkResource(resource);
  } catch {
    // Whatever went wrong here (a stack overflow, an unknown type), Medplum gives the answer.
    return false;
  }
}

interface Walk {
  /** `%rootResource`, as Medplum builds it. */
  root: TypedValue;
  /** The innermost resource (`%resource`): the root, or a contained / entry resource. */
  resource: Resource;
}

function checkResource(resource: Resource): boolean {
  const schema = getDataType(resource.resourceType);
  const walk: Walk = { root: toTypedValue(resource), resource };
  const constraints = compiledType(schema).rootConstraints;
  if (!constraints) return false;
  if (!constraintsHold(walk, constraints, { ...walk.root, path: schema.path })) return false;
  return objectIsValid(walk, { value: resource, schema, path: schema.path, isResource: true });
}

interface ObjectAt {
  value: object;
  schema: InternalTypeSchema;
  path: string;
  isResource: boolean;
}

function objectIsValid(walk: Walk, at: ObjectAt): boolean {
  const type = compiledType(at.schema);
  const record = at.value as Record<string, unknown>;
  let required = 0;
  let present = 0;
  let choices: Set<string> | undefined;
  for (const key of Object.keys(record)) {
    if (key === 'resourceType' && at.isResource) continue;
    const property = type.properties.get(key);
    if (!property || property.unsure) return false;
    // An element whose key holds `undefined` is absent: JSON drops the key, and Medplum's validator
    // reads it as absent too (writers spread optional fields; giving up here cost them Medplum's walk).
    if (record[key] === undefined) continue;
    present++;
    if (property.choice) {
      if (choices?.has(property.elementKey)) return false;
      (choices ??= new Set()).add(property.elementKey);
    }
    if (!propertyIsValid(walk, property, { value: record[key], path: `${at.path}.${property.elementKey}` })) {
      return false;
    }
    if (property.required) required++;
  }
  // An object with nothing in it is "absent" to Medplum (then refused only when required): let it say so.
  if (present === 0 && !at.isResource) return false;
  return required === type.requiredCount;
}

interface ValueAt {
  value: unknown;
  path: string;
}

function propertyIsValid(walk: Walk, property: CompiledProperty, at: ValueAt): boolean {
  const { element } = property;
  if (!element.isArray) return !Array.isArray(at.value) && valueIsValid(walk, property, at);
  const values = at.value;
  // An empty array is "absent" to Medplum (then refused only when required): let it say so.
  if (!Array.isArray(values) || values.length === 0) return false;
  if (values.length < element.min || values.length > element.max) return false;
  for (let i = 0; i < values.length; i++) {
    if (!valueIsValid(walk, property, { value: values[i], path: `${at.path}[${i}]` })) return false;
  }
  return true;
}

function valueIsValid(walk: Walk, property: CompiledProperty, at: ValueAt): boolean {
  const { value } = at;
  if (property.jsType) return primitiveIsValid(walk, property, at);
  if (!isPlainObject(value)) return false;
  const child = childOf(property, value);
  if (!child) return false;
  if (!constraintsHold(walk, property.constraints, { type: child.type, value, path: at.path })) return false;
  const inner = child.isResource ? { ...walk, resource: value as Resource } : walk;
  return objectIsValid(inner, { value, schema: child.schema, path: at.path, isResource: child.isResource });
}

function primitiveIsValid(walk: Walk, property: CompiledProperty, at: ValueAt): boolean {
  const value = at.value as string | number | boolean;
  if (typeof value !== property.jsType || !isValidPrimitive(property.type, value)) return false;
  if (property.codes && !property.codes.has(value as string)) return false;
  return constraintsHold(walk, property.constraints, { type: property.type, value, path: at.path });
}

/** The schema and FHIR type of a complex value; a `Resource` element's from its `resourceType`. */
function childOf(
  property: CompiledProperty,
  value: object,
): { schema: InternalTypeSchema; type: string; isResource: boolean } | undefined {
  if (property.child) {
    return 'resourceType' in value
      ? undefined
      : { schema: property.child, type: property.type, isResource: false };
  }
  const resourceType = (value as { resourceType?: unknown }).resourceType;
  if (property.type !== 'Resource' || typeof resourceType !== 'string' || !isResourceType(resourceType)) {
    return undefined;
  }
  return { schema: resourceSchema(property.parent, resourceType), type: resourceType, isResource: true };
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Every invariant true, evaluated as Medplum's `isExpressionTrue` does (same input, same variables). */
function constraintsHold(
  walk: Walk,
  constraints: CompiledConstraint[],
  value: TypedValue & { path: string },
): boolean {
  for (const constraint of constraints) {
    if (constraint.vacuous && isVacuous(constraint.vacuous, value.value)) continue;
    const variables: Record<string, TypedValue> = {
      '%context': value,
      '%ucum': toTypedValue(UCUM),
      '%resource': toTypedValue(walk.resource),
      '%rootResource': walk.root,
    };
    const result = evalFhirPathTyped(constraint.atom, [value], variables);
    if (result.length !== 1 || result[0]!.value !== true) return false;
  }
  return true;
}

/** Whether a `VacuousWhen` invariant holds on `value` without evaluating it. */
function isVacuous(when: VacuousWhen, value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  const absent = (element: string) => !keys.some((key) => readsAs(key, element));
  return when.absent === 'all' ? when.elements.every(absent) : when.elements.some(absent);
}

/**
 * Whether FHIRPath's `element` may read JSON key `key`: the element itself, a choice of it
 * (`valueQuantity` for `value`), or either one's primitive extension (`_value`).
 */
function readsAs(key: string, element: string): boolean {
  const name = key.charCodeAt(0) === 95 ? key.slice(1) : key;
  if (!name.startsWith(element)) return false;
  if (name.length === element.length) return true;
  const next = name.charCodeAt(element.length);
  return next >= 65 && next <= 90;
}

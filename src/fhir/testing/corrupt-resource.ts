import fc from 'fast-check';

/**
 * Corruptions for the property test of the fast validation path: each one changes one place of
 * a valid resource the way bad input does (wrong JSON types, missing or extra keys, bad codes and
 * primitives, choice types, contained resources, extensions, prototype keys), or leaves it valid
 * in a new shape, so the test sees both answers from both validators.
 */
type Json = unknown;
type Slot = { container: Record<string, Json> | Json[]; key: string | number };

export interface Corruption {
  kind: (typeof KINDS)[number];
  /** Which place of the resource (modulo the number of places). */
  at: number;
  value: Json;
  key: string;
}

const KINDS = [
  'replace',
  'delete',
  'addKey',
  'renameChoice',
  'wrapArray',
  'unwrapArray',
  'addExtension',
] as const;

/** JSON values that are wrong somewhere and right elsewhere. */
const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    '',
    ' ',
    'zzz',
    'final',
    'female',
    '2023-02-29',
    '2024-02-29',
    '2023-13-01',
    '2020-01-01T10:00:00Z',
    '10:61:00',
    'urn:uuid:0b8f3c1e-2a5d-4c6e-9f1a-3b2c4d5e6f70',
    'Patient/x',
    '#p1',
    'dGVzdA==',
    'dGVzdA=',
    0,
    -1,
    1.5,
    2 ** 31,
    Number.NaN,
    true,
    false,
    {},
    [],
    [null],
    [{}],
    { text: 'x' },
    { value: 1, unit: 'mg' },
    { reference: 'Patient/1' },
    { system: 'http://loinc.org', code: '1-8' },
    { coding: [{ code: 'x' }] },
    { url: 'http://e/x', valueString: 'v' },
    { resourceType: 'Patient', id: 'c1' },
    { resourceType: 'Spaceship' },
    { start: '2021', end: '2020' },
    ['a', 'b'],
    [1, 2],
  ),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
);

const extraKey = fc.oneof(
  fc.constantFrom(
    'extension',
    'modifierExtension',
    'id',
    'text',
    'meta',
    'valueString',
    'valueQuantity',
    'valueFoo',
    'resourceType',
    'contained',
    'status',
    'code',
    'gender',
    'system',
    'use',
    'toString',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    '_birthDate',
    '_given',
    '_status',
    'fhir_comments',
    'deceasedBoolean',
    'deceasedDateTime',
    'effectivePeriod',
    'valueCodeableConcept',
  ),
  fc.string({ maxLength: 8 }),
);

export const corruption: fc.Arbitrary<Corruption> = fc.record({
  kind: fc.constantFrom(...KINDS),
  at: fc.nat(),
  value: oddValue,
  key: extraKey,
});

/** Every place of a JSON value: each object key and array index, depth first. */
function slotsOf(value: Json, into: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((child, index) => {
      into.push({ container: value, key: index });
      slotsOf(child, into);
    });
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      into.push({ container: value as Record<string, Json>, key });
      slotsOf(child, into);
    }
  }
  return into;
}

/** Objects of a JSON value (the resource itself first). */
function objectsOf(value: Json): Record<string, Json>[] {
  const objects = [value, ...slotsOf(value).map((slot) => read(slot))];
  return objects.filter((o): o is Record<string, Json> => !!o && typeof o === 'object' && !Array.isArray(o));
}

const read = (slot: Slot): Json => (slot.container as Record<string | number, Json>)[slot.key];

/** Sets an own property, `__proto__` included (a plain assignment would change the prototype). */
function setOwn(container: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

const CHOICE =
  /^(value|effective|onset|deceased|multipleBirth|abatement|occurrence|timing|medication)([A-Z]\w*)$/;
const CHOICE_TYPES = [
  'String',
  'Boolean',
  'Quantity',
  'CodeableConcept',
  'DateTime',
  'Period',
  'Integer',
  'Reference',
];

/** Applies one corruption in place to a (cloned) resource. */
export function corrupt(resource: Record<string, Json>, change: Corruption): void {
  const slots = slotsOf(resource);
  const slot = slots[change.at % Math.max(slots.length, 1)];
  const objects = objectsOf(resource);
  const target = objects[change.at % objects.length]!;
  if (!slot) return;
  const container = slot.container as Record<string | number, Json>;
  // A copy: fast-check hands the same generated value to later runs (and to both changes of a
  // run while shrinking), so inserting it as is let one run's edits reach into the next, up to
  // a value that contains itself (a cycle no JSON resource can have).
  const value = structuredClone(change.value);
  if (change.kind === 'replace') container[slot.key] = value;
  else if (change.kind === 'delete') deleteSlot(slot);
  else if (change.kind === 'addKey') setOwn(target, change.key, value);
  else if (change.kind === 'renameChoice') renameChoice(target, change.at);
  else if (change.kind === 'wrapArray') container[slot.key] = [read(slot)];
  else if (change.kind === 'unwrapArray')
    container[slot.key] = Array.isArray(read(slot)) ? (read(slot) as Json[])[0] : {};
  else addExtension(target, value);
}

function deleteSlot(slot: Slot): void {
  if (Array.isArray(slot.container)) slot.container.splice(slot.key as number, 1);
  else delete slot.container[slot.key as string];
}

/** `valueQuantity` → `valueString` (same value), or a second value of the same choice element. */
function renameChoice(target: Record<string, Json>, at: number): void {
  const key = Object.keys(target).find((k) => CHOICE.test(k));
  if (!key) return;
  const [, base] = CHOICE.exec(key)!;
  const renamed = base! + CHOICE_TYPES[at % CHOICE_TYPES.length]!;
  const value = target[key];
  if (at % 3 !== 0) delete target[key];
  target[renamed] = value;
}

/** An extension with a value of any kind, sometimes without url or with a nested extension too. */
function addExtension(target: Record<string, Json>, value: Json): void {
  const extension: Record<string, Json> = { url: 'http://example.org/fhir/ext' };
  if (typeof value === 'string') extension.valueString = value;
  else if (typeof value === 'number') extension.valueDecimal = value;
  else if (value && typeof value === 'object') extension.valueCodeableConcept = value;
  if (typeof value === 'boolean') extension.extension = [{ url: 'inner', valueBoolean: value }];
  if (value === null) delete extension.url;
  const list = Array.isArray(target.extension) ? target.extension : [];
  target.extension = [...list, extension];
}

/** A key set to `undefined`, as writers spreading optional fields leave them: an existing one, or a new one. */
export interface UndefinedKey {
  at: number;
  /** A key the object already holds (its value becomes `undefined`), else `key` added. */
  existing: boolean;
  key: string;
}

export const undefinedKey: fc.Arbitrary<UndefinedKey> = fc.record({
  at: fc.nat(),
  existing: fc.boolean(),
  key: extraKey,
});

/** Sets one key of one object of the resource to `undefined` (never the root's `resourceType`). */
export function setUndefined(resource: Record<string, Json>, change: UndefinedKey): void {
  const objects = objectsOf(resource);
  const target = objects[change.at % objects.length]!;
  const keys = Object.keys(target).filter((key) => !(target === resource && key === 'resourceType'));
  const key = change.existing ? keys[change.at % Math.max(keys.length, 1)] : change.key;
  if (key !== undefined) setOwn(target, key, undefined);
}

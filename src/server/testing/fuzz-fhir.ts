import { KEYS, OPERATIONS, REFERENCES, RESOURCES, TYPES, bundleOf, type Json } from './fuzz-fhir-seeds.ts';
import { nastyNumber, nastyString, weighted, type Gen, type Random } from './fuzz-random.ts';

/**
 * FHIR JSON for the fuzz test: realistic seeds (resources, transaction and batch Bundles,
 * Parameters for the Patient operations, the JSON bodies of `/auth` and `/api`), mutated as
 * trees (replace, delete, add, retype, re-reference a node) and as text (truncate, splice,
 * nest), each paired with the route that takes it.
 */
export interface JsonInput {
  method: 'POST' | 'PUT';
  path: string;
  body: string;
  contentType: string;
}

/** A random JSON value, shallow: the stuff a mutation puts into a tree. */
const jsonValue: Gen<Json> = (random) =>
  random.pick<Gen<Json>>([
    () => null,
    (r) => r.bool(),
    nastyNumber,
    nastyString,
    (r) => r.pick(REFERENCES),
    (r) => r.pick(TYPES),
    (r) => ({ reference: r.pick(REFERENCES) }),
    (r) => Array.from({ length: r.int(0, 3) }, () => nastyString(r)),
    (r) => ({ [r.pick(KEYS)]: nastyString(r) }),
    (r) => [{ url: nastyString(r), valueString: nastyString(r) }],
    () => [],
    () => ({}),
  ])(random);

/** Every container in a tree with the key (or index) of each child, for picking one to edit. */
function containers(value: Json, into: (Json[] | { [key: string]: Json })[] = []): typeof into {
  if (value && typeof value === 'object') {
    into.push(value);
    for (const child of Object.values(value)) containers(child, into);
  }
  return into;
}

function mutateTree(random: Random, root: Json): Json {
  const targets = containers(root);
  if (targets.length === 0 || random.bool(0.05)) return jsonValue(random);
  const target = random.pick(targets) as Record<string, Json>;
  const keys = Object.keys(target);
  const key =
    keys.length > 0 && random.bool(0.7)
      ? random.pick(keys)
      : Array.isArray(target)
        ? String(keys.length)
        : random.pick(KEYS);
  const action = random.int(0, 5);
  if (action === 0) delete target[key];
  else if (action === 1) target[key] = [target[key] ?? null];
  else if (action === 2) target[key] = { value: target[key] ?? null };
  else if (action === 3 && key === 'resourceType') target[key] = random.pick(TYPES);
  else target[key] = jsonValue(random);
  return root;
}

function mutateText(random: Random, text: string): string {
  const at = random.int(0, text.length);
  switch (random.int(0, 4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return (
        text.slice(0, at) +
        random.pick(['"', '{', '}', '[', ']', ',', ':', '\\', '\\u', '\\ud800', '0', '-', 'e']) +
        text.slice(at)
      );
    case 2:
      return text.slice(0, at) + text.slice(random.int(0, text.length));
    case 3: {
      const depth = random.int(10, 200);
      return `${'{"extension":['.repeat(depth)}${text}${']}'.repeat(depth)}`;
    }
    default:
      return text.replace(/"(\d+(\.\d+)?)"/g, () => JSON.stringify(nastyString(random)));
  }
}

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;

function mutated(random: Random, seed: Json): string {
  let tree = clone(seed);
  for (let i = random.int(1, 4); i > 0; i--) tree = mutateTree(random, tree);
  const text = JSON.stringify(tree);
  return random.bool(0.2) ? mutateText(random, text) : text;
}

const contentType: Gen<string> = weighted(
  [12, () => 'application/fhir+json'],
  [4, () => 'application/json'],
  [
    1,
    (r) =>
      r.pick([
        'application/json; charset=latin1',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        '',
      ]),
  ],
);

/** A mutated resource, Bundle or operation body with the route that takes it. */
export const jsonInput: Gen<JsonInput> = weighted<JsonInput>(
  [
    5,
    (random) => {
      const seed = random.pick(RESOURCES);
      const type = random.bool(0.9) ? (seed as { resourceType: string }).resourceType : random.pick(TYPES);
      const put = random.bool(0.3);
      const path = put
        ? `/fhir/${type}/${random.pick(['fz-1', 'fz-patient-1', nastyString(random)])}`
        : `/fhir/${type}`;
      return {
        method: put ? 'PUT' : 'POST',
        path: encodeURI(path.toWellFormed()),
        body: mutated(random, seed),
        contentType: contentType(random),
      };
    },
  ],
  [
    2,
    (random) => {
      const entries = Array.from({ length: random.int(1, 4) }, () => random.pick(RESOURCES));
      const body = mutated(
        random,
        bundleOf(random.pick(['transaction', 'batch', 'collection', 'document', 'x']), entries),
      );
      return { method: 'POST', path: '/fhir', body, contentType: contentType(random) };
    },
  ],
  [
    2,
    (random) => {
      const [path, seed] = random.pick(OPERATIONS);
      return { method: 'POST', path, body: mutated(random, seed), contentType: contentType(random) };
    },
  ],
);

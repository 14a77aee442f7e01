import type { Coding, Resource } from '@medplum/fhirtypes';
import { isDeepStrictEqual } from 'node:util';
import { ThroughlineError } from '../../kernel/errors.ts';

/**
 * Element-level write rules (the role matrix's `writeProtected`): a protected element keeps
 * its stored value (absent on create). Left out of the incoming resource, it is carried over
 * from the stored one, so a form that sends only what it edits still works; sent with another
 * value, the write is refused, naming the element. This is what stops a patient from writing
 * herself into another person's record (`Patient.link`, the golden `meta.tag` identity reads),
 * retiring someone (`active`), or dropping a label.
 */
export function applyProtectedElements(options: {
  incoming: Resource;
  stored: Resource | undefined;
  protectedElements: readonly string[];
}): Resource {
  const { stored, protectedElements } = options;
  let incoming = options.incoming;
  for (const path of protectedElements) {
    const sent = valueAt(incoming, path);
    if (sent === undefined) incoming = withValueAt(incoming, path, valueAt(stored, path));
    else if (!sameValue(sent, valueAt(stored, path)))
      throw new ThroughlineError('FORBIDDEN', `You may not set or change ${incoming.resourceType}.${path}`, {
        expression: `${incoming.resourceType}.${path}`,
      });
  }
  return incoming;
}

/**
 * Who wrote it (the matrix's `authorElements`, e.g. `Communication.sender`): a patient or her
 * proxy may leave the element out or name her own record, never a clinician or another patient,
 * so a message cannot pose as the clinic's on the timeline staff read. A proxy may name her own
 * grant's RelatedPerson (herself, as the caregiver who wrote it) — no other RelatedPerson, so
 * nobody writes as someone else's caregiver.
 */
export function checkAuthorElements(options: {
  resource: Resource;
  authorElements: readonly string[];
  ownPatients: ReadonlySet<string>;
  /** A proxy's grant (`RelatedPerson/{id}`): the one RelatedPerson she may write as. */
  ownGrant?: string;
}): void {
  const { resource, authorElements, ownPatients, ownGrant } = options;
  for (const element of authorElements) {
    const reference = (valueAt(resource, element) as { reference?: string } | undefined)?.reference;
    if (reference === undefined && valueAt(resource, element) === undefined) continue;
    const [type, id = ''] = (reference ?? '').split('/');
    if ((type === 'Patient' && ownPatients.has(id)) || (!!ownGrant && reference === ownGrant)) continue;
    throw new ThroughlineError('FORBIDDEN', `${resource.resourceType}.${element} must name you`, {
      expression: `${resource.resourceType}.${element}`,
    });
  }
}

/** `link`, `meta.tag`: one or two steps into the resource. */
function valueAt(resource: Resource | undefined, path: string): unknown {
  let value: unknown = resource;
  for (const step of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[step];
  return value;
}

/** A copy with the value at a one- or two-step path (nothing to do for undefined). */
function withValueAt(resource: Resource, path: string, value: unknown): Resource {
  if (value === undefined) return resource;
  const [head = '', tail] = path.split('.');
  const record = resource as unknown as Record<string, unknown>;
  const inner = tail ? { ...(record[head] as Record<string, unknown> | undefined), [tail]: value } : value;
  return { ...record, [head]: inner } as unknown as Resource;
}

/** Missing and empty are the same; codings compare by system and code, in any order. */
function sameValue(a: unknown, b: unknown): boolean {
  const empty = (value: unknown) => value === undefined || (Array.isArray(value) && value.length === 0);
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  if (isCodings(a) && isCodings(b)) return isDeepStrictEqual(codingKeys(a), codingKeys(b));
  return isDeepStrictEqual(a, b);
}

function isCodings(value: unknown): value is Coding[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item && 'code' in item);
}

function codingKeys(codings: Coding[]): string[] {
  return [...new Set(codings.map((coding) => `${coding.system ?? ''}|${coding.code ?? ''}`))].sort();
}

/**
 * An update keeps the sensitivity labels the caller may not see (a nurse under break-glass, or
 * any writer without the label): dropping one would expose the data to everyone without it.
 */
export function keepHiddenLabels(options: {
  incoming: Resource;
  stored: Resource | undefined;
  hiddenLabels: readonly { system: string; code: string }[];
}): Resource {
  const { incoming, stored, hiddenLabels } = options;
  const isHidden = (label: Coding) =>
    hiddenLabels.some((hidden) => hidden.system === label.system && hidden.code === label.code);
  const kept = (stored?.meta?.security ?? []).filter(isHidden);
  const present = incoming.meta?.security ?? [];
  const missing = kept.filter(
    (label) => !present.some((each) => each.system === label.system && each.code === label.code),
  );
  if (missing.length === 0) return incoming;
  return { ...incoming, meta: { ...incoming.meta, security: [...present, ...missing] } };
}

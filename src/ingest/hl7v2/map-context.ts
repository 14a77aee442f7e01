import type { BundleEntry, Identifier, Resource } from '@medplum/fhirtypes';
import { segmentsOf, type Hl7Message, type MessageHeader, type Segment } from '../../hl7v2/index.ts';

/** What every mapping gets: the parsed message, its header, and where it came from. */
export interface MapContext {
  message: Hl7Message;
  header: MessageHeader;
  /** `meta.source` of every resource produced: the sending system (provenance). */
  source: string;
}

/** A mapping's context plus the patient the segments being mapped are about. */
export interface SubjectContext extends MapContext {
  /** Reference to the message's Patient entry (its fullUrl). */
  subject: { reference?: string };
}

/** One entry per `segment` of the message (NK1, AL1, RXA, FT1, …), each about the same patient. */
export function perSegment(
  about: SubjectContext,
  segment: string,
  map: (about: SubjectContext, segment: Segment, index: number) => BundleEntry,
): BundleEntry[] {
  return segmentsOf(about.message, segment).map((each, index) => map(about, each, index));
}

/** The conditional-update entry that makes a mapping idempotent: same identifier, same resource. */
export function upsertEntry(
  resource: Resource,
  identifier: Identifier | undefined,
  source: string,
): BundleEntry {
  const withSource = { ...resource, meta: { ...resource.meta, source } } as Resource;
  if (!identifier?.value) {
    return {
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: withSource,
      request: { method: 'POST', url: resource.resourceType },
    };
  }
  // The resource carries the identifier it is upserted by, so a replay finds it again.
  const current = (withSource as { identifier?: Identifier[] }).identifier ?? [];
  const has = current.some((id) => id.system === identifier.system && id.value === identifier.value);
  if (!has) (withSource as { identifier?: Identifier[] }).identifier = [...current, identifier];
  const criteria = `identifier=${encodeURIComponent(identifier.system ?? '')}|${encodeURIComponent(identifier.value)}`;
  return {
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource: withSource,
    request: { method: 'PUT', url: `${resource.resourceType}?${criteria}` },
  };
}

export function referenceTo(entry: BundleEntry): { reference?: string } {
  return { reference: entry.fullUrl };
}

export function sourceOf(header: MessageHeader): string {
  const parts = [header.sendingApplication, header.sendingFacility]
    .filter(Boolean)
    .map((part) => encodeURIComponent(part as string));
  return `urn:throughline:hl7v2:source:${parts.join(':') || 'unknown'}`;
}

/** A stable identifier for things a message names only by position (OBX 3 of order X). */
export function derivedIdentifier(
  context: MapContext,
  ...parts: (string | number | undefined)[]
): Identifier {
  return { system: `${context.source}:derived`, value: parts.map((part) => String(part ?? '')).join('/') };
}

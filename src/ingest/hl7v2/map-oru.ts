import type { BundleEntry, DiagnosticReport, ServiceRequest } from '@medplum/fhirtypes';
import { hl7ToFhirDateTime, valueAt, type Delimiters, type Segment } from '../../hl7v2/index.ts';
import {
  derivedIdentifier,
  referenceTo,
  upsertEntry,
  type MapContext,
  type SubjectContext,
} from './map-context.ts';
import { clean } from './clean-resource.ts';
import { mapPatient } from './map-patient.ts';
import { mapObservation, type ObxWithNotes } from './map-observation.ts';
import { codingSystemUri, orderIdentifier, personDisplay, toCodeableConcept } from './v2-datatypes.ts';
import { toInstant } from './v2-datatypes.ts';

interface OrderGroup {
  orc?: Segment;
  obr: Segment;
  observations: ObxWithNotes[];
  notes: string[];
}

const reportStatus: Record<string, DiagnosticReport['status']> = {
  F: 'final',
  P: 'preliminary',
  C: 'corrected',
  X: 'cancelled',
  R: 'registered',
  I: 'registered',
  A: 'partial',
  S: 'partial',
};

/** ORU^R01 → per OBR: ServiceRequest (ORC/OBR), DiagnosticReport, one Observation per OBX. */
export function mapOru(context: MapContext): BundleEntry[] {
  const patient = mapPatient(context);
  const about: SubjectContext = { ...context, subject: referenceTo(patient) };
  const entries: BundleEntry[] = [patient];
  for (const [index, group] of orderGroups(context.message.segments).entries()) {
    entries.push(...mapGroup(about, group, index));
  }
  return entries;
}

/** ORM^O01 / OML^O21 → a ServiceRequest per OBR (or ORC without OBR). */
export function mapOrders(context: MapContext): BundleEntry[] {
  const patient = mapPatient(context);
  const about: SubjectContext = { ...context, subject: referenceTo(patient) };
  const groups = orderGroups(context.message.segments);
  return [patient, ...groups.map((group, index) => serviceRequest(about, group, index))];
}

function orderGroups(segments: Segment[]): OrderGroup[] {
  const groups: OrderGroup[] = [];
  let orc: Segment | undefined;
  for (const segment of segments) {
    const current = groups[groups.length - 1];
    if (segment.id === 'ORC') orc = segment;
    else if (segment.id === 'OBR') groups.push({ orc, obr: segment, observations: [], notes: [] });
    else if (segment.id === 'OBX' && current) current.observations.push({ obx: segment, notes: [] });
    else if (segment.id === 'NTE' && current) {
      const text = segment.fields[3] ?? '';
      const target = current.observations[current.observations.length - 1]?.notes ?? current.notes;
      if (text) target.push(text);
    }
  }
  return groups;
}

/** The number results are filed under: the filler order number (OBR-3), else the placer's (OBR-2). */
function orderNumber(obr: Segment, d: Delimiters): { system: string; value: string } | undefined {
  return orderIdentifier(obr.fields[3], d) ?? orderIdentifier(obr.fields[2], d);
}

function serviceRequest(context: SubjectContext, group: OrderGroup, index: number): BundleEntry {
  const { subject } = context;
  const d = context.message.delimiters;
  const placer = orderIdentifier(group.obr.fields[2] || group.orc?.fields[2], d);
  const filler = orderIdentifier(group.obr.fields[3] || group.orc?.fields[3], d);
  const ordered = (group.orc && valueAt(group.orc, d, 9)) ?? valueAt(group.obr, d, 6);
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    identifier: [placer, filler].filter((id) => id !== undefined),
    status: group.observations.length > 0 ? 'completed' : 'active',
    intent: 'order',
    code: toCodeableConcept(group.obr.fields[4], d),
    subject,
    authoredOn: ordered ? hl7ToFhirDateTime(ordered) : undefined,
    requester: personDisplay(group.obr.fields[16], d)
      ? { display: personDisplay(group.obr.fields[16], d) }
      : undefined,
  };
  return upsertEntry(
    clean(request),
    placer ?? filler ?? derivedIdentifier(context, context.header.controlId, 'OBR', index + 1),
    context.source,
  );
}

/** One Observation per OBX, basedOn the order; keyed by order, OBX-3 and OBX-4, so a correction updates. */
function groupObservations(context: SubjectContext, group: OrderGroup, order: BundleEntry): BundleEntry[] {
  const { subject } = context;
  const d = context.message.delimiters;
  const filler = orderNumber(group.obr, d);
  const observed = valueAt(group.obr, d, 7);
  return group.observations.map(({ obx, notes }, i) => {
    const observation = {
      ...mapObservation({ obx, notes }, d, observed),
      subject,
      basedOn: [referenceTo(order)],
    };
    const code = valueAt(obx, d, 3) ?? String(i + 1);
    const key = derivedIdentifier(
      context,
      filler?.value ?? context.header.controlId,
      code,
      valueAt(obx, d, 4) ?? '',
      i + 1,
    );
    return upsertEntry(observation, key, context.source);
  });
}

function mapGroup(context: SubjectContext, group: OrderGroup, index: number): BundleEntry[] {
  const { subject } = context;
  const d = context.message.delimiters;
  const order = serviceRequest(context, group, index);
  const filler = orderNumber(group.obr, d);
  const observed = valueAt(group.obr, d, 7);
  const observations = groupObservations(context, group, order);
  const issued = valueAt(group.obr, d, 22);
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    identifier: filler ? [filler] : undefined,
    basedOn: [referenceTo(order)],
    status: reportStatus[valueAt(group.obr, d, 25) ?? 'F'] ?? 'final',
    category: [
      { coding: [{ system: codingSystemUri('HL70074'), code: valueAt(group.obr, d, 24) ?? 'LAB' }] },
    ],
    code: toCodeableConcept(group.obr.fields[4], d) ?? { text: 'unknown' },
    subject,
    effectiveDateTime: observed ? hl7ToFhirDateTime(observed, { segment: 'OBR', field: 7 }) : undefined,
    issued: issued ? toInstant(hl7ToFhirDateTime(issued, { segment: 'OBR', field: 22 })) : undefined,
    result: observations.map(referenceTo),
    conclusion: group.notes.length > 0 ? group.notes.join('\n') : undefined,
  };
  const reportKey = filler ?? derivedIdentifier(context, context.header.controlId, 'OBR', index + 1);
  return [order, ...observations, upsertEntry(clean(report), reportKey, context.source)];
}

import type {
  AllergyIntolerance,
  BundleEntry,
  Condition,
  Coverage,
  Encounter,
  Period,
  RelatedPerson,
  Task,
} from '@medplum/fhirtypes';
import { firstSegment, hl7ToFhirDateTime, segmentsOf, valueAt, type Segment } from '../../hl7v2/index.ts';
import {
  derivedIdentifier,
  perSegment,
  referenceTo,
  upsertEntry,
  type MapContext,
  type SubjectContext,
} from './map-context.ts';
import { clean } from './clean-resource.ts';
import { mapPatient } from './map-patient.ts';
import {
  personDisplay,
  toAddresses,
  toCodeableConcept,
  toIdentifiers,
  toNames,
  toTelecoms,
} from './v2-datatypes.ts';

const encounterClass: Record<string, { code: string; display: string }> = {
  I: { code: 'IMP', display: 'inpatient encounter' },
  O: { code: 'AMB', display: 'ambulatory' },
  E: { code: 'EMER', display: 'emergency' },
  P: { code: 'PRENC', display: 'pre-admission' },
  R: { code: 'AMB', display: 'ambulatory' },
  B: { code: 'AMB', display: 'ambulatory' },
};

const encounterStatus: Record<string, Encounter['status']> = {
  A01: 'in-progress',
  A02: 'in-progress',
  A03: 'finished',
  A04: 'arrived',
  A05: 'planned',
  A06: 'in-progress',
  A07: 'in-progress',
  A11: 'cancelled',
  A13: 'in-progress',
};

/**
 * ADT A01–A13, A28, A31 → Patient (PID, PD1), Encounter (PV1/PV2), RelatedPerson (NK1),
 * AllergyIntolerance (AL1), Condition (DG1), Coverage (IN1). A28/A31 (person updates) carry
 * no visit. Everything is upserted by identifiers, so replays change nothing.
 */
export function mapAdt(context: MapContext): BundleEntry[] {
  const patient = mapPatient(context, 'registration');
  const about: SubjectContext = { ...context, subject: referenceTo(patient) };
  const entries: BundleEntry[] = [patient];
  const trigger = context.header.triggerEvent ?? '';
  const pv1 = firstSegment(context.message, 'PV1');
  if (pv1 && !['A28', 'A31', 'A08'].includes(trigger)) entries.push(mapEncounter(about, pv1));
  else if (pv1 && trigger === 'A08' && valueAt(pv1, context.message.delimiters, 19))
    entries.push(mapEncounter(about, pv1));
  entries.push(...perSegment(about, 'NK1', mapRelatedPerson));
  entries.push(...perSegment(about, 'AL1', mapAllergy));
  entries.push(...perSegment(about, 'DG1', mapCondition));
  entries.push(...perSegment(about, 'IN1', mapCoverage));
  return entries;
}

/** PV1-44/45, IN1-12/13: a Period from two HL7 timestamps, left out when neither is given. */
function toPeriod(start: string | undefined, end: string | undefined): Period | undefined {
  if (!start && !end) return undefined;
  return {
    start: start ? hl7ToFhirDateTime(start) : undefined,
    end: end ? hl7ToFhirDateTime(end) : undefined,
  };
}

function mapEncounter(context: SubjectContext, pv1: Segment): BundleEntry {
  const { subject } = context;
  const trigger = context.header.triggerEvent ?? '';
  const d = context.message.delimiters;
  const visit = toIdentifiers(pv1, 19, d)[0];
  const admitted = valueAt(pv1, d, 44);
  const discharged = valueAt(pv1, d, 45);
  const location = [
    valueAt(pv1, d, { field: 3, component: 1 }),
    valueAt(pv1, d, { field: 3, component: 2 }),
    valueAt(pv1, d, { field: 3, component: 3 }),
  ]
    .filter(Boolean)
    .join(' ');
  const attending = personDisplay(pv1.fields[7]?.split(d.repetition)[0], d);
  const klass = encounterClass[valueAt(pv1, d, 2) ?? 'O'] ?? encounterClass.O!;
  const encounter: Encounter = {
    resourceType: 'Encounter',
    identifier: visit ? [visit] : undefined,
    status: encounterStatus[trigger] ?? (discharged ? 'finished' : 'in-progress'),
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', ...klass },
    subject,
    period: toPeriod(admitted, discharged),
    location: location ? [{ location: { display: location } }] : undefined,
    participant: attending ? [{ individual: { display: attending } }] : undefined,
  };
  return upsertEntry(
    clean(encounter),
    visit ?? derivedIdentifier(context, context.header.controlId, 'PV1'),
    context.source,
  );
}

function mapRelatedPerson(context: SubjectContext, nk1: Segment, index: number): BundleEntry {
  const { subject: patient } = context;
  const d = context.message.delimiters;
  const related: RelatedPerson = {
    resourceType: 'RelatedPerson',
    patient,
    name: toNames(nk1, 2, d),
    relationship: [toCodeableConcept(nk1.fields[3], d)].filter((concept) => concept !== undefined),
    address: toAddresses(nk1, 4, d),
    telecom: [
      ...toTelecoms(nk1, { field: 5, use: 'home' }, d),
      ...toTelecoms(nk1, { field: 6, use: 'work' }, d),
    ],
  };
  return upsertEntry(
    clean(related),
    derivedIdentifier(context, patient.reference, 'NK1', valueAt(nk1, d, 1) ?? index + 1),
    context.source,
  );
}

function mapAllergy(context: SubjectContext, al1: Segment, index: number): BundleEntry {
  const { subject: patient } = context;
  const d = context.message.delimiters;
  const code = toCodeableConcept(al1.fields[3], d);
  const severity = valueAt(al1, d, 4);
  const reaction = valueAt(al1, d, 5);
  const allergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    patient,
    code,
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
      ],
    },
    criticality: severity === 'SV' ? 'high' : severity === 'MI' ? 'low' : undefined,
    reaction: reaction ? [{ manifestation: [{ text: reaction }] }] : undefined,
  };
  return upsertEntry(
    clean(allergy),
    derivedIdentifier(context, patient.reference, 'AL1', code?.coding?.[0]?.code ?? code?.text ?? index),
    context.source,
  );
}

function mapCondition(context: SubjectContext, dg1: Segment, index: number): BundleEntry {
  const { subject } = context;
  const d = context.message.delimiters;
  const code =
    toCodeableConcept(dg1.fields[3], d) ?? (valueAt(dg1, d, 4) ? { text: valueAt(dg1, d, 4) } : undefined);
  const onset = valueAt(dg1, d, 5);
  const condition: Condition = {
    resourceType: 'Condition',
    subject,
    code,
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' },
        ],
      },
    ],
    onsetDateTime: onset
      ? hl7ToFhirDateTime(onset, { segment: 'DG1', sequence: index + 1, field: 5 })
      : undefined,
  };
  return upsertEntry(
    clean(condition),
    derivedIdentifier(context, subject.reference, 'DG1', code?.coding?.[0]?.code ?? index),
    context.source,
  );
}

function mapCoverage(context: SubjectContext, in1: Segment, index: number): BundleEntry {
  const { subject: beneficiary } = context;
  const d = context.message.delimiters;
  const plan = valueAt(in1, d, 2) ?? valueAt(in1, d, 3);
  const insurer = valueAt(in1, d, 4);
  const policy = valueAt(in1, d, 36) ?? valueAt(in1, d, 49);
  const start = valueAt(in1, d, 12);
  const end = valueAt(in1, d, 13);
  const coverage: Coverage = {
    resourceType: 'Coverage',
    status: 'active',
    beneficiary,
    payor: [{ display: insurer ?? plan ?? 'Unknown payer' }],
    subscriberId: policy,
    class: plan
      ? [
          {
            type: {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }],
            },
            value: plan,
          },
        ]
      : undefined,
    period: toPeriod(start, end),
  };
  return upsertEntry(
    clean(coverage),
    derivedIdentifier(context, beneficiary.reference, 'IN1', policy ?? plan ?? index),
    context.source,
  );
}

/**
 * ADT A40 (merge patient): a merge request for the identity service, kept as a Task (focus: the
 * surviving patient; input: the prior identifier from MRG-1), so it is carried out when the
 * identity service processes it — and stays on record if it cannot be.
 */
export function mapMergeRequest(context: MapContext): BundleEntry[] {
  const patient = mapPatient(context, 'registration');
  const d = context.message.delimiters;
  const mrgs = segmentsOf(context.message, 'MRG');
  const tasks = mrgs.map((mrg, i) => {
    const prior = toIdentifiers(mrg, 1, d)[0];
    const task: Task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      code: {
        coding: [
          {
            system: 'https://throughline.dev/fhir/CodeSystem/identity',
            code: 'merge-request',
            display: 'Merge patient records (HL7 ADT A40)',
          },
        ],
      },
      focus: referenceTo(patient),
      for: referenceTo(patient),
      input: prior ? [{ type: { text: 'prior-identifier' }, valueIdentifier: prior }] : undefined,
    };
    return upsertEntry(
      clean(task),
      derivedIdentifier(context, context.header.controlId, 'MRG', i + 1),
      context.source,
    );
  });
  return [patient, ...tasks];
}

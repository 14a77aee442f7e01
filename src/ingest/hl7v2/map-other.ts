import type { BundleEntry, ChargeItem, DocumentReference, Immunization, Money } from '@medplum/fhirtypes';
import {
  componentsOf,
  firstSegment,
  hl7ToFhirDateTime,
  repetitions,
  segmentsOf,
  valueAt,
  type Segment,
} from '../../hl7v2/index.ts';
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
import { orderIdentifier, personDisplay, toCodeableConcept } from './v2-datatypes.ts';
import { toInstant } from './v2-datatypes.ts';

/** MDM^T02 (original document with content) → DocumentReference: TXA metadata, OBX text as the attachment. */
export function mapDocument(context: MapContext): BundleEntry[] {
  const d = context.message.delimiters;
  const patient = mapPatient(context);
  const txa = firstSegment(context.message, 'TXA');
  const lines = segmentsOf(context.message, 'OBX').flatMap((obx) =>
    repetitions(obx, 5, d).map(
      (_, i) => valueAt(obx, d, { field: 5, component: 1, subcomponent: 1, repetition: i + 1 }) ?? '',
    ),
  );
  const documentNumber = txa ? valueAt(txa, d, 12) : undefined;
  // TXA-14/15: the order or referral the document answers (a consult report closes the loop).
  const answers = txa ? [orderIdentifier(txa.fields[14], d), orderIdentifier(txa.fields[15], d)] : [];
  const created = txa ? (valueAt(txa, d, 6) ?? valueAt(txa, d, 4)) : undefined;
  const document: DocumentReference = {
    resourceType: 'DocumentReference',
    status: 'current',
    type: txa ? toCodeableConcept(txa.fields[2], d) : undefined,
    subject: referenceTo(patient),
    date: created ? toInstant(hl7ToFhirDateTime(created, { segment: 'TXA', field: 6 })) : undefined,
    author:
      txa && personDisplay(txa.fields[9], d) ? [{ display: personDisplay(txa.fields[9], d) }] : undefined,
    context: relatedRequests(answers),
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(lines.filter(Boolean).join('\n'), 'utf8').toString('base64'),
        },
      },
    ],
  };
  const key = documentNumber
    ? { system: `${context.source}:document`, value: documentNumber }
    : derivedIdentifier(context, context.header.controlId, 'TXA');
  return [patient, upsertEntry(clean(document), key, context.source)];
}

/** Logical references to the requests a document answers (the store may not hold them yet). */
function relatedRequests(
  identifiers: ({ system: string; value: string } | undefined)[],
): DocumentReference['context'] | undefined {
  const related = identifiers
    .filter((identifier) => identifier !== undefined)
    .map((identifier) => ({ type: 'ServiceRequest' as const, identifier }));
  return related.length > 0 ? { related } : undefined;
}

const immunizationStatus: Record<string, Immunization['status']> = {
  CP: 'completed',
  PA: 'completed',
  RE: 'not-done',
  NA: 'not-done',
};

/** VXU^V04 → one Immunization per RXA (vaccine, date, dose, lot, completion status). */
export function mapImmunizations(context: MapContext): BundleEntry[] {
  return onePerSegment(context, 'RXA', immunizationOf);
}

/** DFT^P03 → one ChargeItem per FT1 (code, date, quantity, amount). */
export function mapCharges(context: MapContext): BundleEntry[] {
  return onePerSegment(context, 'FT1', chargeOf);
}

/** The message's Patient, then one entry per `segment` about her. */
function onePerSegment(
  context: MapContext,
  segment: string,
  map: (about: SubjectContext, segment: Segment, index: number) => BundleEntry,
): BundleEntry[] {
  const patient = mapPatient(context);
  return [patient, ...perSegment({ ...context, subject: referenceTo(patient) }, segment, map)];
}

function immunizationOf(about: SubjectContext, rxa: Segment, index: number): BundleEntry {
  const d = about.message.delimiters;
  const given = valueAt(rxa, d, 3);
  const amount = Number(valueAt(rxa, d, 6));
  const [unitCode, unitText] = componentsOf(rxa.fields[7] ?? '', d);
  const immunization: Immunization = {
    resourceType: 'Immunization',
    status: immunizationStatus[valueAt(rxa, d, 20) ?? 'CP'] ?? 'completed',
    vaccineCode: toCodeableConcept(rxa.fields[5], d) ?? { text: 'unknown vaccine' },
    patient: about.subject,
    occurrenceDateTime: given
      ? hl7ToFhirDateTime(given, { segment: 'RXA', sequence: index + 1, field: 3 })
      : 'unknown',
    doseQuantity:
      Number.isFinite(amount) && amount > 0 && amount < 999
        ? { value: amount, unit: unitText ?? unitCode, code: unitCode, system: 'http://unitsofmeasure.org' }
        : undefined,
    lotNumber: valueAt(rxa, d, 15),
    performer: personDisplay(rxa.fields[10], d)
      ? [{ actor: { display: personDisplay(rxa.fields[10], d) } }]
      : undefined,
  };
  return upsertEntry(
    clean(immunization),
    derivedIdentifier(about, about.subject.reference && valueAt(rxa, d, 5), given, index + 1),
    about.source,
  );
}

function chargeOf(about: SubjectContext, ft1: Segment, index: number): BundleEntry {
  const d = about.message.delimiters;
  const posted = valueAt(ft1, d, 4);
  const quantity = Number(valueAt(ft1, d, 10));
  const [amount, currency] = (ft1.fields[11] ?? '').split(d.component)[0]?.split(d.subcomponent) ?? [];
  const charge: ChargeItem = {
    resourceType: 'ChargeItem',
    status: 'billable',
    code: toCodeableConcept(ft1.fields[7], d) ?? { text: valueAt(ft1, d, 7) ?? 'charge' },
    subject: about.subject,
    occurrenceDateTime: posted
      ? hl7ToFhirDateTime(posted, { segment: 'FT1', sequence: index + 1, field: 4 })
      : undefined,
    quantity: Number.isFinite(quantity) && quantity > 0 ? { value: quantity } : undefined,
    priceOverride:
      amount && Number.isFinite(Number(amount))
        ? { value: Number(amount), currency: (currency || undefined) as Money['currency'] }
        : undefined,
  };
  const transaction = valueAt(ft1, d, 2);
  const key = transaction
    ? { system: `${about.source}:transaction`, value: transaction }
    : derivedIdentifier(about, about.header.controlId, 'FT1', index + 1);
  return upsertEntry(clean(charge), key, about.source);
}

import type { DiagnosticReport, Observation, Patient } from '@medplum/fhirtypes';
import { ADMINISTRATIVE_SEX, firstCodeOf, hl7Timestamp } from '../../hl7v2/index.ts';
import { cwe, cx, dtm, esc, STANDARD, xad, xpn, xtn } from './v2-fields.ts';

/** What every message's MSH says: who to, its control id and when. */
export interface Envelope {
  destination: string;
  controlId: string;
  at: Date;
}

const SEGMENT = '\r';
const segment = (fields: string[]): string => fields.join(STANDARD.field).replace(/\|+$/, '');

/** MSH-9.3 where the message structure is another event's (v2.5.1 chapter 3). */
const STRUCTURES: Record<string, string> = { A08: 'A01', A31: 'A05' };

/** MSH with v2.5.1 and original-mode acknowledgment (MSH-15/16 AL/NE: one ACK per message). */
function msh(envelope: Envelope, type: string): string {
  const encoding = `${STANDARD.component}${STANDARD.repetition}${STANDARD.escape}${STANDARD.subcomponent}`;
  const [code, trigger] = type.split('^');
  const structure = `${code}_${STRUCTURES[trigger ?? ''] ?? trigger}`;
  return `MSH|${encoding}|${segment(['THROUGHLINE', '', esc(envelope.destination), '', hl7Timestamp(envelope.at), '', `${code}^${trigger}^${structure}`, esc(envelope.controlId), 'P', '2.5.1', '', '', 'AL', 'NE'])}`;
}

/** PID from the Patient, field by field the inverse of the inbound PID mapping. */
export function pid(patient: Patient): string {
  const home = (patient.telecom ?? []).filter((contact) => contact.use !== 'work');
  const work = (patient.telecom ?? []).filter((contact) => contact.use === 'work');
  const sex = firstCodeOf(ADMINISTRATIVE_SEX, patient.gender) ?? '';
  const fields: string[] = [
    'PID',
    '1',
    '',
    cx(patient.identifier),
    '',
    xpn(patient.name),
    '',
    dtm(patient.birthDate),
    sex,
  ];
  fields.push('', '', xad(patient.address), '', xtn(home), xtn(work), '', cwe(patient.maritalStatus));
  while (fields.length < 29) fields.push('');
  fields.push(dtm(patient.deceasedDateTime), patient.deceasedBoolean || patient.deceasedDateTime ? 'Y' : '');
  return segment(fields);
}

/** ADT^A08 (update patient information): MSH, EVN, PID, and the PV1 the message structure requires. */
export function buildAdtA08(envelope: Envelope, patient: Patient): string {
  return buildAdt(envelope, { trigger: 'A08', patient });
}

/**
 * ADT^A31 (update person information, structure ADT_A05): the same segments as A08, for
 * systems that keep a person index apart from visits; PV1 says "no visit" (PV1-2 N).
 */
export function buildAdtA31(envelope: Envelope, patient: Patient): string {
  return buildAdt(envelope, { trigger: 'A31', patient });
}

function buildAdt(envelope: Envelope, { trigger, patient }: { trigger: string; patient: Patient }): string {
  const evn = segment(['EVN', trigger, hl7Timestamp(envelope.at)]);
  return [msh(envelope, `ADT^${trigger}`), evn, pid(patient), 'PV1|1|N'].join(SEGMENT) + SEGMENT;
}

/** ORU^R01 (unsolicited result): the report as OBR, each result as OBX. */
export function buildOruR01(
  envelope: Envelope,
  result: { patient: Patient; report: DiagnosticReport; observations: Observation[] },
): string {
  const { patient, report, observations } = result;
  const placer = report.identifier?.[0]?.value ?? report.id ?? '';
  const obr = segment([
    'OBR',
    '1',
    esc(placer),
    esc(report.id),
    cwe(report.code),
    '',
    '',
    dtm(report.effectiveDateTime),
    ...Array<string>(14).fill(''),
    dtm(report.issued),
    '',
    '',
    resultStatus(report.status),
  ]);
  const obx = observations.map((observation, index) => obxOf(observation, index + 1));
  return [msh(envelope, 'ORU^R01'), pid(patient), obr, ...obx].join(SEGMENT) + SEGMENT;
}

function obxOf(observation: Observation, setId: number): string {
  const quantity = observation.valueQuantity;
  const numeric = quantity?.value !== undefined;
  const value = numeric
    ? String(quantity!.value)
    : esc(observation.valueString ?? observation.valueCodeableConcept?.text ?? '');
  const range = observation.referenceRange?.[0];
  const limits =
    range?.text ?? (range?.low || range?.high ? `${range.low?.value ?? ''}-${range.high?.value ?? ''}` : '');
  const flag = observation.interpretation?.[0]?.coding?.[0]?.code ?? '';
  const fields = [
    'OBX',
    String(setId),
    numeric ? 'NM' : 'ST',
    cwe(observation.code),
    '',
    value,
    esc(quantity?.unit ?? quantity?.code),
    esc(limits),
    esc(flag),
    '',
    '',
    resultStatus(observation.status),
  ];
  return segment([...fields, '', '', dtm(observation.effectiveDateTime)]);
}

/** HL7 table 0085/0123: F final, C corrected, P preliminary. */
function resultStatus(status: string | undefined): string {
  if (status === 'amended' || status === 'corrected') return 'C';
  return status === 'final' ? 'F' : 'P';
}

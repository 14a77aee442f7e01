import type { DiagnosticReport, Patient, Resource } from '@medplum/fhirtypes';
import type { Hl7Destination } from '../../kernel/connectors-config.ts';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { RuleHl7Order, RuleHl7Result } from '../rules/automation-deps.ts';
import type { Hl7OutDeps } from './hl7-out-deps.ts';
import { withDestination } from './destination-lease.ts';
import { adtA08, adtA31, oruR01, type PlannedMessage } from './plan-messages.ts';
import { sendPlanned } from './send-planned.ts';

/** A destination busy with its feed is asked again this soon. */
const BUSY_RETRY_MS = 1000;

/**
 * A rule's hl7-send: the message about the triggering write, to the destination named (or every
 * destination whose `?events=` takes it), through the same outbound store and key as the feed
 * (`{type}|{Type/id/_history/v}`): whoever asks first sends it, the other finds it answered.
 * Each destination is leased like its feed run, so one connection at a time sends to it.
 */
export async function sendRuleMessage(deps: Hl7OutDeps, order: RuleHl7Order): Promise<RuleHl7Result> {
  const destinations = destinationsFor(deps, order);
  const message = await messageFor(deps, order);
  const result: RuleHl7Result = { sent: [] };
  for (const destination of destinations) {
    const outcome = await sendLeased(deps, { destination, message });
    if ('busy' in outcome || outcome.failure) {
      const reason = 'busy' in outcome ? outcome.busy : outcome.failure!;
      const retryInMs = 'busy' in outcome ? BUSY_RETRY_MS : deps.retryBaseSeconds * 1000;
      return { ...result, pending: { reason: `${destination.name}: ${reason}`, retryInMs } };
    }
    result.sent.push({ destination: destination.name, status: outcome.status, controlId: outcome.controlId });
  }
  return result;
}

function destinationsFor(deps: Hl7OutDeps, order: RuleHl7Order): Hl7Destination[] {
  if (!order.destination) return deps.destinations.filter((each) => each.events.includes(order.message));
  const named = deps.destinations.find((each) => each.name === order.destination);
  if (!named) throw new Error(`no HL7_DESTINATIONS entry is named "${order.destination}"`);
  return [named];
}

/** ADT^A08 or A31 about the written Patient version (or the patient of another write as it is now); ORU^R01 about a report. */
async function messageFor(deps: Hl7OutDeps, order: RuleHl7Order): Promise<PlannedMessage> {
  const [type = '', id = '', , version = ''] = order.resource.split('/');
  if (order.message === 'ADT^A08' || order.message === 'ADT^A31') {
    const patientId = type === 'Patient' ? id : order.patient?.replace(/^Patient\//, '');
    if (!patientId) throw new Error(`${order.message} needs a patient: the write belongs to none`);
    const patient = await readVersion<Patient>(deps, {
      type: 'Patient',
      id: patientId,
      ...(type === 'Patient' ? { version } : {}),
    });
    const about = `Patient/${patientId}/_history/${patient.meta?.versionId ?? ''}`;
    return order.message === 'ADT^A08' ? adtA08(about, patient) : adtA31(about, patient);
  }
  if (order.message === 'ORU^R01') {
    if (type !== 'DiagnosticReport') throw new Error(`ORU^R01 reports a DiagnosticReport, not a ${type}`);
    const report = await readVersion<DiagnosticReport>(deps, { type, id, version });
    const message = await oruR01(deps.repository, { resource: order.resource, report });
    if (!message) throw new Error('ORU^R01 needs the report subject: it could not be read');
    return message;
  }
  throw new Error(`hl7-send message "${order.message}" is not one of ADT^A08, ADT^A31, ORU^R01`);
}

async function readVersion<T extends Resource>(
  deps: Hl7OutDeps,
  ref: { type: string; id: string; version?: string },
): Promise<T> {
  const { type, id, version } = ref;
  const read = version ? deps.repository.vread<T>(type, id, version) : deps.repository.read<T>(type, id);
  const resource = await read.catch(absentUnlessUnavailable);
  if (!resource) throw new Error(`${type}/${id} could not be read`);
  return resource;
}

type LeasedOutcome = Awaited<ReturnType<typeof sendPlanned>> | { busy: string };

/** One message to one destination under the destination's lease, on a connection of its own. */
function sendLeased(
  deps: Hl7OutDeps,
  work: { destination: Hl7Destination; message: PlannedMessage },
): Promise<LeasedOutcome> {
  return withDestination(deps, work.destination, (connection) => sendPlanned(deps, { ...work, connection }));
}

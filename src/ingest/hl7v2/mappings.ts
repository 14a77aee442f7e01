import type { BundleEntry } from '@medplum/fhirtypes';
import { Hl7Error, Hl7ErrorCodes } from '../../hl7v2/index.ts';
import type { MapContext } from './map-context.ts';
import { mapAdt, mapMergeRequest } from './map-adt.ts';
import { mapOrders, mapOru } from './map-oru.ts';
import { mapSiu } from './map-siu.ts';
import { mapCharges, mapDocument, mapImmunizations } from './map-other.ts';
import { mapReferral } from './map-referral.ts';

type Mapping = (context: MapContext) => BundleEntry[];

/**
 * Every supported message, in one place: `TYPE^TRIGGER` (or `TYPE` for all triggers) → the
 * function that turns it into FHIR. Adding a message type = one file + one line here (see
 * README.md).
 */
const mappings: Record<string, Mapping> = {
  'ADT^A01': mapAdt,
  'ADT^A02': mapAdt,
  'ADT^A03': mapAdt,
  'ADT^A04': mapAdt,
  'ADT^A05': mapAdt,
  'ADT^A06': mapAdt,
  'ADT^A07': mapAdt,
  'ADT^A08': mapAdt,
  'ADT^A11': mapAdt,
  'ADT^A13': mapAdt,
  'ADT^A28': mapAdt,
  'ADT^A31': mapAdt,
  'ADT^A40': mapMergeRequest,
  'ORU^R01': mapOru,
  'ORM^O01': mapOrders,
  'OML^O21': mapOrders,
  'SIU^S12': mapSiu,
  'SIU^S13': mapSiu,
  'SIU^S14': mapSiu,
  'SIU^S15': mapSiu,
  'SIU^S16': mapSiu,
  'SIU^S17': mapSiu,
  'SIU^S26': mapSiu,
  'MDM^T02': mapDocument,
  'REF^I12': mapReferral,
  'REF^I13': mapReferral,
  'REF^I14': mapReferral,
  'VXU^V04': mapImmunizations,
  'DFT^P03': mapCharges,
};

export const supportedMessages = Object.keys(mappings);

export function mappingFor(messageType: string, trigger: string | undefined): Mapping {
  const mapping = mappings[`${messageType}^${trigger ?? ''}`] ?? mappings[messageType];
  if (mapping) return mapping;
  const known = supportedMessages.some((key) => key.startsWith(`${messageType}^`));
  throw new Hl7Error(
    known ? Hl7ErrorCodes.UNSUPPORTED_EVENT_CODE : Hl7ErrorCodes.UNSUPPORTED_MESSAGE_TYPE,
    `${messageType}^${trigger ?? ''} is not supported yet; the message is stored and can be reprocessed when a mapping exists`,
    { location: { segment: 'MSH', sequence: 1, field: 9 }, severity: 'error' },
  );
}

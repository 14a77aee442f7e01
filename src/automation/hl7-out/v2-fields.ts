import type { Address, CodeableConcept, ContactPoint, HumanName, Identifier } from '@medplum/fhirtypes';
import {
  AUTHORITY_SYSTEM_PREFIX,
  CODING_SYSTEMS,
  escapeHl7,
  firstCodeOf,
  type Delimiters,
} from '../../hl7v2/index.ts';

/**
 * FHIR data types to HL7 v2 ones, the inverse of the inbound mapping (`src/ingest/hl7v2/v2-datatypes.ts`,
 * after the HL7 v2-to-FHIR IG), with the same code tables: a value goes out as it came in.
 */
export const STANDARD: Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

const esc = (text: string | undefined): string => escapeHl7(text ?? '', STANDARD);
const components = (parts: (string | undefined)[]): string => trimEnd(parts.map(esc), STANDARD.component);
const repeated = <T>(items: T[] | undefined, each: (item: T) => string): string =>
  (items ?? [])
    .map(each)
    .filter((text) => text.length > 0)
    .join(STANDARD.repetition);

function trimEnd(parts: string[], separator: string): string {
  return parts.join(separator).replace(new RegExp(`\\${separator}+$`), '');
}

/** CX: value^^^authority^type; an OID authority as `&oid&ISO`, an inbound name as it came. */
export function cx(identifiers: Identifier[] | undefined): string {
  return repeated(identifiers, (identifier) => {
    if (!identifier.value) return '';
    const type = identifier.type?.coding?.[0]?.code;
    return trimEnd(
      [esc(identifier.value), '', '', authorityOf(identifier.system), esc(type)],
      STANDARD.component,
    );
  });
}

function authorityOf(system: string | undefined): string {
  if (!system) return '';
  if (system.startsWith('urn:oid:'))
    return `${STANDARD.subcomponent}${esc(system.slice(8))}${STANDARD.subcomponent}ISO`;
  if (system.startsWith(AUTHORITY_SYSTEM_PREFIX))
    return esc(decodeURIComponent(system.slice(AUTHORITY_SYSTEM_PREFIX.length)));
  return `${STANDARD.subcomponent}${esc(system)}${STANDARD.subcomponent}URI`;
}

const nameUses: Record<string, string> = { official: 'L', nickname: 'N', maiden: 'M' };

/** XPN: family^given^middle^suffix^prefix^^use. */
export function xpn(names: HumanName[] | undefined): string {
  return repeated(names, (name) =>
    components([
      name.family,
      name.given?.[0],
      name.given?.slice(1).join(' '),
      name.suffix?.[0],
      name.prefix?.[0],
      '',
      nameUses[name.use ?? ''],
    ]),
  );
}

/** XAD: street^other^city^state^zip^country^type. */
export function xad(addresses: Address[] | undefined): string {
  const types: Record<string, string> = { home: 'H', work: 'B' };
  return repeated(addresses, (address) =>
    components([
      address.line?.[0],
      address.line?.slice(1).join(' '),
      address.city,
      address.state,
      address.postalCode,
      address.country,
      types[address.use ?? ''],
    ]),
  );
}

/**
 * XTN: formatted^use^equipment^email. The inbound side reads PID-13 as home, PID-14 as work,
 * CP as mobile and WPN as work: the same codes go out.
 */
export function xtn(contacts: ContactPoint[] | undefined): string {
  return repeated(contacts, (contact) => {
    if (contact.system === 'email') return components(['', 'NET', 'Internet', contact.value]);
    if (!contact.value) return '';
    const equipment = contact.system === 'fax' ? 'FX' : contact.use === 'mobile' ? 'CP' : 'PH';
    return components([contact.value, contact.use === 'work' ? 'WPN' : 'PRN', equipment]);
  });
}

/** CWE: code^text^system, the system as its table 0396 code when it has one. */
export function cwe(concept: CodeableConcept | undefined): string {
  const coding = concept?.coding?.[0];
  const system = coding?.system;
  const code = system ? (firstCodeOf(CODING_SYSTEMS, system) ?? system) : undefined;
  return components([coding?.code, coding?.display ?? concept?.text, code]);
}

/** A FHIR date or dateTime as HL7 DTM (`2026-12-04T10:30:00Z` → `20261204103000+0000`). */
export function dtm(value: string | undefined): string {
  if (!value) return '';
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return value.replace(/-/g, '');
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

export { esc };

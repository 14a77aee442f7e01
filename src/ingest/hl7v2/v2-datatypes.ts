import type { Address, CodeableConcept, ContactPoint, HumanName, Identifier } from '@medplum/fhirtypes';
import {
  AUTHORITY_SYSTEM_PREFIX,
  CODING_SYSTEMS,
  componentsOf,
  repetitions,
  type Delimiters,
  type Segment,
} from '../../hl7v2/index.ts';

/**
 * HL7 v2 data types to FHIR data types, after the HL7 v2-to-FHIR mapping IG
 * (CX → Identifier, XPN → HumanName, XAD → Address, XTN → ContactPoint, CE/CWE → CodeableConcept).
 */
export const codingSystems: Record<string, string> = CODING_SYSTEMS;

export function codingSystemUri(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (codingSystems[code.toUpperCase()]) return codingSystems[code.toUpperCase()];
  if (/^HL7\d{4}$/i.test(code)) return `http://terminology.hl7.org/CodeSystem/v2-${code.slice(3)}`;
  return `urn:throughline:hl7v2:codesystem:${encodeURIComponent(code)}`;
}

/** The identifier namespace of an assigning authority (CX-4, an HD): ISO OID if given, else its name. */
export function assigningAuthoritySystem(
  hd: string | undefined,
  universal: string | undefined,
  type: string | undefined,
): string {
  if (universal && type?.toUpperCase() === 'ISO') return `urn:oid:${universal}`;
  if (universal && /^https?:/.test(universal)) return universal;
  return `${AUTHORITY_SYSTEM_PREFIX}${encodeURIComponent(hd ?? universal ?? 'unknown')}`;
}

export function toIdentifiers(segment: Segment, field: number, d: Delimiters): Identifier[] {
  return repetitions(segment, field, d)
    .map((raw) => {
      const [value, , , authority, typeCode] = componentsOf(raw, d);
      const hd = raw.split(d.component)[3]?.split(d.subcomponent) ?? [];
      if (!value) return undefined;
      const identifier: Identifier = { value, system: assigningAuthoritySystem(authority, hd[1], hd[2]) };
      if (typeCode)
        identifier.type = {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: typeCode }],
        };
      return identifier;
    })
    .filter((identifier): identifier is Identifier => identifier !== undefined);
}

export function toNames(segment: Segment, field: number, d: Delimiters): HumanName[] {
  return repetitions(segment, field, d)
    .map((raw) => {
      const [family, given, middle, suffix, prefix, , use] = componentsOf(raw, d);
      if (!family && !given) return undefined;
      const name: HumanName = {};
      if (use === 'L') name.use = 'official';
      else if (use === 'N') name.use = 'nickname';
      else if (use === 'M') name.use = 'maiden';
      if (family) name.family = family;
      const givens = [given, middle].filter((part): part is string => Boolean(part));
      if (givens.length > 0) name.given = givens;
      if (prefix) name.prefix = [prefix];
      if (suffix) name.suffix = [suffix];
      return name;
    })
    .filter((name): name is HumanName => name !== undefined);
}

export function toAddresses(segment: Segment, field: number, d: Delimiters): Address[] {
  return repetitions(segment, field, d)
    .map((raw) => {
      const [street, other, city, state, postalCode, country, type] = componentsOf(raw, d);
      const line = [street, other].filter((part): part is string => Boolean(part));
      if (line.length === 0 && !city && !postalCode) return undefined;
      const address: Address = { ...(line.length ? { line } : {}), city, state, postalCode, country };
      if (type === 'H') address.use = 'home';
      if (type === 'B' || type === 'O') address.use = 'work';
      return JSON.parse(JSON.stringify(address)) as Address;
    })
    .filter((address): address is Address => address !== undefined);
}

/** An XTN field and the use its numbers have unless XTN-2/XTN-3 say otherwise (PID-13 home, PID-14 work). */
export interface TelecomField {
  field: number;
  use: ContactPoint['use'];
}

/** XTN: v2.1–2.2 carry only a formatted number; later versions also use, equipment, email, parts. */
export function toTelecoms(segment: Segment, { field, use }: TelecomField, d: Delimiters): ContactPoint[] {
  return repetitions(segment, field, d)
    .map((raw): ContactPoint | undefined => {
      const [formatted, useCode, equipment, email, country, area, local, extension] = componentsOf(raw, d);
      if (email || equipment === 'Internet' || equipment === 'X.400')
        return email ? { system: 'email', value: email, use } : undefined;
      const parts = [country ? `+${country}` : undefined, area, local].filter(Boolean).join(' ');
      const value = formatted ?? (parts || undefined);
      if (!value) return undefined;
      const system = equipment === 'FX' ? 'fax' : 'phone';
      const contactUse = equipment === 'CP' ? 'mobile' : useCode === 'WPN' ? 'work' : use;
      return { system, value: extension ? `${value} x${extension}` : value, use: contactUse };
    })
    .filter((contact): contact is ContactPoint => contact !== undefined);
}

/** CE / CWE / CNE: code^text^system^altCode^altText^altSystem. */
export function toCodeableConcept(raw: string | undefined, d: Delimiters): CodeableConcept | undefined {
  if (!raw) return undefined;
  const [code, text, system, altCode, altText, altSystem] = componentsOf(raw, d);
  const coding = [
    ...(code ? [{ system: codingSystemUri(system), code, ...(text ? { display: text } : {}) }] : []),
    ...(altCode
      ? [{ system: codingSystemUri(altSystem), code: altCode, ...(altText ? { display: altText } : {}) }]
      : []),
  ].map((entry) => JSON.parse(JSON.stringify(entry)) as { system?: string; code: string; display?: string });
  if (coding.length === 0 && !text) return undefined;
  return { ...(coding.length ? { coding } : {}), ...(text ? { text } : {}) };
}

/** XCN person (id^family^given…) as a display string for participants we do not resolve. */
export function personDisplay(raw: string | undefined, d: Delimiters): string | undefined {
  if (!raw) return undefined;
  const [id, family, given, , , prefix] = componentsOf(raw, d);
  const name = [prefix, given, family].filter(Boolean).join(' ');
  return name || id;
}

/**
 * FHIR `instant` needs a time and a zone; an HL7 date-only value (a report issued "20261121")
 * becomes midnight UTC of that day.
 */
export function toInstant(dateTime: string): string | undefined {
  if (/T/.test(dateTime)) return dateTime;
  // A year or year-month alone is too vague for an instant: leave it out rather than invent a day.
  return dateTime.length === 10 ? `${dateTime}T00:00:00Z` : undefined;
}

/**
 * An entity identifier (EI: placer or filler order number, referral id) as a FHIR Identifier,
 * its namespace in the system: orders, referrals and the documents that answer them name the
 * same number the same way, so a report finds its request.
 */
export function orderIdentifier(
  raw: string | undefined,
  d: Delimiters,
): { system: string; value: string } | undefined {
  const [value, namespace, universal] = componentsOf(raw ?? '', d);
  if (!value) return undefined;
  return {
    system: `urn:throughline:hl7v2:order:${encodeURIComponent(namespace ?? universal ?? 'unknown')}`,
    value,
  };
}

import { Hl7Error, Hl7ErrorCodes } from './hl7-error.ts';

/** The separators a message declares in MSH-1 and MSH-2 (HL7 v2 §2.5.4). */
export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** v2.7+ truncation character (the 5th encoding character), when present. */
  truncation?: string;
}

export const standardDelimiters: Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** Reads MSH-1 (field separator) and MSH-2 (encoding characters) from the header segment. */
export function readDelimiters(msh: string): Delimiters {
  const field = msh.charAt(3);
  if (msh.length < 8 || !field || /[A-Za-z0-9\r\n]/.test(field)) {
    throw new Hl7Error(
      Hl7ErrorCodes.REQUIRED_FIELD_MISSING,
      'MSH-1 (field separator) is missing or invalid',
      { location: { segment: 'MSH', field: 1 } },
    );
  }
  const end = msh.indexOf(field, 4);
  const encoding = end < 0 ? msh.slice(4) : msh.slice(4, end);
  if (encoding.length < 4 || encoding.length > 5) {
    throw new Hl7Error(
      Hl7ErrorCodes.REQUIRED_FIELD_MISSING,
      `MSH-2 must hold 4 or 5 encoding characters, found "${encoding}"`,
      { location: { segment: 'MSH', field: 2 } },
    );
  }
  const all = field + encoding;
  if (new Set(all).size !== all.length) {
    throw new Hl7Error(
      Hl7ErrorCodes.DATA_TYPE_ERROR,
      `MSH-1/MSH-2 delimiters must all differ, found "${all}"`,
      { location: { segment: 'MSH', field: 2 } },
    );
  }
  const [component, repetition, escape, subcomponent, truncation] = encoding.split('') as [
    string,
    string,
    string,
    string,
    string?,
  ];
  return { field, component, repetition, escape, subcomponent, ...(truncation ? { truncation } : {}) };
}

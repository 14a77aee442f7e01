import {
  familyNames,
  femaleGivenNames,
  maleGivenNames,
  streetNames,
  towns,
} from '../../src/demo/vocabulary/names.ts';

/**
 * PID for synthetic person `n`: distinct people, as in a clinic — names from the demo
 * vocabulary, birth dates over 70 years, their own street address and phone. (Numbered names
 * such as Family1 / Family2 with neighbouring phones made every record a one-letter typo of
 * another, and the identity service rightly linked them all into one person.)
 */
function pidSegment(n: number): string {
  const female = n % 2 === 1;
  const givens = female ? femaleGivenNames : maleGivenNames;
  const family = familyNames[(n * 7) % familyNames.length]!;
  const given = givens[(n * 13 + Math.floor(n / givens.length)) % givens.length]!;
  const middle = String.fromCharCode(65 + ((n * 5) % 26));
  const birth = `${1940 + ((n * 17) % 70)}${pad(((n * 5) % 12) + 1)}${pad(((n * 11) % 28) + 1)}`;
  const [city, zip] = towns[n % towns.length]!;
  const street = `${10 + ((n * 37) % 900)} ${streetNames[(n * 3) % streetNames.length]}`;
  const phone = String((n * 7919 + 1234) % 10000).padStart(4, '0');
  return `PID|1||MRN${n}^^^RIVERSIDE^MR||${family}^${given}^${middle}||${birth}|${female ? 'F' : 'M'}|||${street}^^${city}^^${zip}${n % 10}||^PRN^PH^^1^541^${555 + (n % 3)}${phone}`;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** A deterministic ADT+ORU mix for synthetic patients, for the HL7 v2 benchmarks. */
export function syntheticMessages(count: number, prefix = 'B'): string[] {
  return Array.from({ length: count }, (_, i) => syntheticMessage(i, prefix));
}

/** Message `i` of the mix: an ADT A08 (even) or an ORU R01 with 3 OBX (odd), for patient i mod 500. */
export function syntheticMessage(i: number, prefix = 'B'): string {
  const patient = i % 500;
  const pid = pidSegment(patient);
  const id = `${prefix}${i}`;
  if (i % 2 === 0)
    return (
      [
        `MSH|^~\\&|REG|RIVERSIDE|TL|CLINIC|20261123083000||ADT^A08^ADT_A01|${id}|P|2.5.1`,
        'EVN|A08|20261123083000',
        pid,
        `PV1|1|O|GP^1^A||||1234^Doctor^Dana|||||||||||V${patient}^^^RIVERSIDE^VN`,
      ].join('\r') + '\r'
    );
  return (
    [
      `MSH|^~\\&|LAB|NORTH|TL|CLINIC|20261123083000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
      pid,
      `ORC|RE|ORD${i}^GP|LAB${i}^NORTH`,
      `OBR|1|ORD${i}^GP|LAB${i}^NORTH|24331-1^Lipid panel^LN|||20261120090000||||||||||||||20261121100000|||F`,
      `OBX|1|NM|2093-3^Cholesterol^LN||${150 + (i % 90)}|mg/dL^mg/dL^UCUM|<200|N|||F`,
      `OBX|2|NM|2085-9^HDL^LN||${40 + (i % 30)}|mg/dL^mg/dL^UCUM|>40|N|||F`,
      `OBX|3|NM|13457-7^LDL^LN||${90 + (i % 80)}|mg/dL^mg/dL^UCUM|<130|${i % 3 ? 'N' : 'H'}|||F`,
      'NTE|1||Fasting sample',
    ].join('\r') + '\r'
  );
}

import { nastyString, weighted, type Gen, type Random } from './fuzz-random.ts';

/**
 * HL7 v2 messages and MLLP byte streams for the fuzz test: one seed per mapped message family,
 * mutated at segment, field, component and byte level (delimiters, encoding characters, escape
 * sequences, versions, odd dates and bytes).
 */
const SEEDS: string[][] = [
  [
    'MSH|^~\\&|REG|RIVERSIDE|THROUGHLINE|CLINIC|20261123083000||ADT^A04^ADT_A01|FZ-1|P|2.5.1',
    'EVN|A04|20261123083000',
    'PID|1||FZ-MRN-1^^^RIVERSIDE^MR~999-99-9999^^^USA^SS||Okafor^Maya^J||19880412|F|||12 Elm St^^Springfield^IL^62701||^PRN^PH^^^217^5551234|||||||||||||||',
    'PV1|1|O|CLINIC^101^1||||1234^Smith^John|||||||||||V100',
    'NK1|1|Okafor^Ade|SPO',
    'AL1|1|DA|PEN^Penicillin',
  ],
  [
    'MSH|^~\\&|LAB|NORTH|TL|CLINIC|20261123083000||ORU^R01^ORU_R01|FZ-2|P|2.5.1',
    'PID|1||FZ-MRN-2^^^RIVERSIDE^MR||Family^Given||19800101|M',
    'OBR|1|ORD-1^GP|LAB-1^NORTH|4548-4^HbA1c^LN|||20261120090000|||||||||||||||||F',
    'OBX|1|NM|4548-4^HbA1c^LN||6.4|%^%^UCUM|4.0-5.6|H|||F|||20261120090000',
    'OBX|2|ST|8867-4^Heart rate^LN||high|||A|||F',
    'NTE|1||a note',
  ],
  [
    'MSH|^~\\&|SCHED|CLINIC|TL|CLINIC|20261123083000||SIU^S12^SIU_S12|FZ-3|P|2.5',
    'SCH|APT-1|APT-1|||||CHECKUP|ROUTINE|30|MIN|^^30^20261201090000^20261201093000|||||||||||||||BOOKED',
    'PID|1||FZ-MRN-3^^^RIVERSIDE^MR||Lee^Ana||19750505|F',
    'AIP|1||1234^Smith^John|D',
  ],
  [
    'MSH|^~\\&|REG|RIVERSIDE|TL|CLINIC|20261123083000||ADT^A40^ADT_A39|FZ-4|P|2.5',
    'EVN|A40|20261123083000',
    'PID|1||FZ-MRN-1^^^RIVERSIDE^MR||Okafor^Maya||19880412|F',
    'MRG|FZ-MRN-9^^^RIVERSIDE^MR',
  ],
  [
    'MSH|^~\\&|EHR|CLINIC|TL|CLINIC|20261123083000||ORM^O01|FZ-5|P|2.3',
    'PID|1||FZ-MRN-5^^^RIVERSIDE^MR||Ng^Li||19900101|U',
    'ORC|NW|ORD-5',
    'OBR|1|ORD-5||80053^CMP^CPT',
  ],
  [
    'MSH|^~\\&|IIS|STATE|TL|CLINIC|20261123083000||VXU^V04^VXU_V04|FZ-6|P|2.5.1|||AL|NE',
    'PID|1||FZ-MRN-6^^^RIVERSIDE^MR||Diaz^Rosa||20200202|F',
    'RXA|0|1|20261101||08^HepB^CVX|0.5|mL^mL^UCUM',
  ],
  [
    'MSH|^~\\&|DOC|CLINIC|TL|CLINIC|20261123083000||MDM^T02|FZ-7|P|2.5',
    'PID|1||FZ-MRN-7^^^RIVERSIDE^MR||Khan^Sara||19660606|F',
    'TXA|1|CN|TX|20261123083000',
    'OBX|1|TX|NOTE^Note||Line one\\.br\\Line two||||||F',
  ],
  [
    'MSH|^~\\&|BILL|CLINIC|TL|CLINIC|20261123083000||DFT^P03|FZ-8|P|2.5',
    'PID|1||FZ-MRN-8^^^RIVERSIDE^MR||Oh^Jin||19770707|M',
    'FT1|1|||20261120||CG|99213^Office visit^CPT|||1|||||||||||||||||||||',
  ],
];

const SEGMENT_IDS = [
  'MSH',
  'PID',
  'PV1',
  'OBX',
  'OBR',
  'EVN',
  'MRG',
  'ZZZ',
  'NTE',
  'SCH',
  'RXA',
  'FT1',
  'TXA',
  'FHS',
  'BHS',
  'BTS',
  'FTS',
  'MSA',
  'ERR',
  '',
];
const MESSAGE_TYPES = [
  'ADT^A01',
  'ADT^A08',
  'ADT^A40',
  'ORU^R01',
  'SIU^S12',
  'ACK',
  'QRY^A19',
  'ORU',
  '^',
  'ADT^A04^ADT_A01^X',
  '',
];

type Message = string[];

const fieldsOf = (segment: string) => segment.split('|');

/** Edits one field of one segment (MSH-1/2 included, so delimiters change too). */
function mutateField(random: Random, message: Message): void {
  const at = random.int(0, message.length - 1);
  const fields = fieldsOf(message[at] ?? '');
  const field = random.int(0, Math.max(fields.length, 1));
  const value = random.pick<Gen<string>>([
    nastyString,
    (r) => Array.from({ length: r.int(1, 6) }, () => nastyString(r)).join(r.pick(['^', '~', '&', '\\'])),
    (r) => r.pick(MESSAGE_TYPES),
    (r) => r.pick(['2.1', '2.3', '2.5.1', '2.8', '3.0', 'x', '']),
    (r) => r.pick(['20261399', '2026', '202611230830001234', '-1', '99999999999999', '']),
    () => '',
  ])(random);
  while (fields.length <= field) fields.push('');
  fields[field] = value;
  message[at] = fields.join('|');
}

const MUTATIONS: ((random: Random, message: Message) => void)[] = [
  mutateField,
  mutateField,
  mutateField,
  (random, message) => message.splice(random.int(0, message.length - 1), 1),
  (random, message) =>
    message.splice(random.int(0, message.length), 0, message[random.int(0, message.length - 1)] ?? ''),
  (random, message) => message.push(`${random.pick(SEGMENT_IDS)}|${nastyString(random)}`),
  (random, message) => {
    // Other encoding characters or field separator in MSH-1/MSH-2.
    const msh = message[0] ?? '';
    message[0] =
      msh.slice(0, 3) +
      random.pick(['|', '#', '^', '\\', '', '\r']) +
      random.pick(['^~\\&', '', '^', '^~\\&#', '||||']) +
      msh.slice(8);
  },
  (random, message) => {
    const at = random.int(0, message.length - 1);
    message[at] = (message[at] ?? '').slice(0, random.int(0, (message[at] ?? '').length));
  },
];

/** A mutated HL7 v2 message as text (segments joined by CR, LF or CRLF; sometimes a BOM). */
export const hl7Message: Gen<string> = (random) => {
  const message = [...random.pick(SEEDS)];
  for (let i = random.int(0, 4); i > 0; i--) random.pick(MUTATIONS)(random, message);
  const joined = message.join(random.pick(['\r', '\r', '\r', '\n', '\r\n', '\r\r']));
  return (random.bool(0.05) ? '\ufeff' : '') + joined + (random.bool(0.8) ? '\r' : '');
};

/** A batch (FHS/BHS … BTS/FTS) of mutated messages. */
export const hl7Batch: Gen<string> = (random) => {
  const messages = Array.from({ length: random.int(0, 3) }, () => hl7Message(random));
  const header = random.pick(['FHS|^~\\&|X\rBHS|^~\\&|X\r', 'BHS|^~\\&\r', 'FHS|\r', 'BHS']);
  const trailer = random.pick(['BTS|1\rFTS|1\r', 'BTS|x\r', '']);
  return header + messages.join('') + trailer;
};

export const VT = '\x0b';
export const FS = '\x1c';

/** Bytes for one MLLP connection: frames of mutated messages, broken framing, stray bytes. */
export const mllpBytes: Gen<Buffer> = weighted<Buffer>(
  [6, (random) => Buffer.from(`${VT}${hl7Message(random)}${FS}\r`, 'utf8')],
  [2, (random) => Buffer.from(`${VT}${hl7Batch(random)}${FS}\r`, 'utf8')],
  [
    2,
    (random) =>
      Buffer.from(
        Array.from({ length: random.int(1, 4) }, () =>
          random.pick([VT, FS, '\r', `${FS}\r`, `${VT}${VT}`, hl7Message(random), nastyString(random)]),
        ).join(''),
        random.pick(['utf8', 'latin1'] as const),
      ),
  ],
  [1, (random) => Buffer.from(Array.from({ length: random.int(1, 512) }, () => random.int(0, 255)))],
);

// HL7 v2 parse throughput on one core (issue 3 target: ≥ 50,000 messages/s).
//   npx node bench/hl7v2-parse.ts
import { parseMessage, readHeader, getValue } from '../src/hl7v2/index.ts';
import { syntheticMessages } from './lib/hl7-messages.ts';

const messages = syntheticMessages(20_000).map((text) => Buffer.from(text));
let checksum = 0;
for (const message of messages.slice(0, 2000)) checksum += readHeader(parseMessage(message)).controlId.length; // warm-up
const rounds = 5;
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  for (const message of messages) {
    const parsed = parseMessage(message);
    checksum += readHeader(parsed).controlId.length + (getValue(parsed, 'PID-3.1')?.length ?? 0);
  }
}
const seconds = (performance.now() - started) / 1000;
const bytes = messages.reduce((sum, message) => sum + message.length, 0) * rounds;
console.log(
  `| parse + header + PID-3 (ADT A08 / ORU R01 mix, avg ${Math.round(bytes / rounds / messages.length)} bytes) | ${messages.length * rounds} messages in ${seconds.toFixed(2)} s | **${Math.round((messages.length * rounds) / seconds).toLocaleString('en')} messages/s** on one core | (checksum ${checksum % 997}) |`,
);

import { readFile } from 'node:fs/promises';
import { messagesInFile } from '../../hl7v2/index.ts';
import { receiveHl7v2Message, type Hl7v2Deps } from './receive-hl7v2-message.ts';

export interface Hl7ImportReport {
  messages: number;
  byStatus: Record<string, number>;
  failures: { file: string; controlId?: string; reason: string }[];
}

/**
 * `throughline import` for HL7 v2 files (.hl7, single messages or FHS/BHS batches): each message
 * goes through the same receive pipeline as MLLP, so it is stored, idempotent and acknowledged
 * (the ACK's MSA/ERR is what the report shows for failures).
 */
export async function importHl7Files(deps: Hl7v2Deps, files: string[]): Promise<Hl7ImportReport> {
  const report: Hl7ImportReport = { messages: 0, byStatus: {}, failures: [] };
  for (const file of files) {
    const payloads = messagesInFile(await readFile(file));
    for (const payload of payloads) {
      const result = await receiveHl7v2Message(deps, payload, { kind: 'file', remote: file });
      report.messages++;
      report.byStatus[result.status] = (report.byStatus[result.status] ?? 0) + 1;
      if (result.status !== 'processed') {
        const ack = result.ack.toString('utf8');
        report.failures.push({
          file,
          controlId: /MSA\|\w+\|([^|\r]*)/.exec(ack)?.[1],
          reason: ack
            .split('\r')
            .filter((segment) => /^(MSA|ERR)/.test(segment))
            .join(' '),
        });
      }
    }
  }
  return report;
}

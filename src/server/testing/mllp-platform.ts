import type { Patient } from '@medplum/fhirtypes';
import { startMllpReceiver, type MllpReceiver } from '../../automation/testing/mllp-receiver.ts';
import type { TestBackend } from '../../store/testing/backends.ts';
import { forwardTo } from '../../store/testing/suite-fixture.ts';
import { platformBesidePerSuite } from './platform-beside.ts';
import type { TestPlatform } from './test-platform.ts';

/** A segment of an HL7 v2 message, by its id (`PID`): the first, or '' when there is none. */
export const segment = (message: string, id: string) =>
  message.split('\r').find((line) => line.startsWith(`${id}|`)) ?? '';
/** Field `n` of a segment (MSH counts its field separator as MSH-1, so MSH-9 is `field(msh, 8)`). */
export const field = (line: string, n: number) => line.split('|')[n] ?? '';

/**
 * A platform sending HL7 v2 to two MLLP listeners that ACK, per suite (call inside `describe`):
 * `env` is given the listeners' ports, for its `HL7_DESTINATIONS`.
 */
export function mllpPlatformPerSuite(
  backend: TestBackend,
  env: (ports: [number, number]) => Record<string, string>,
): { platform: TestPlatform; listeners: [MllpReceiver, MllpReceiver] } {
  const { platform, fake } = platformBesidePerSuite(backend, {
    start: async () => ({ pair: [await startMllpReceiver(), await startMllpReceiver()] as const }),
    env: ({ pair }) => env([pair[0].port, pair[1].port]),
    stop: ({ pair }) => Promise.all(pair.map((listener) => listener.close())),
  });
  return { platform, listeners: [forwardTo(() => fake.pair[0]), forwardTo(() => fake.pair[1])] };
}

/** Creates `patient`, lets the reactions run, and answers it as stored (with its id and version). */
export async function storedPatient(
  platform: TestPlatform,
  patient: Patient,
): Promise<Patient & { id: string }> {
  const id = await platform.create(patient);
  await platform.worker.drain();
  return (await (await platform.fetch(`/fhir/Patient/${id}`)).json()) as Patient & { id: string };
}

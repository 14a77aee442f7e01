import type { Bundle, Communication, Patient } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { modeCodeOf, PROVIDER_MESSAGE_SYSTEM, type Channel } from '../model/outreach-codes.ts';

type Stored<T> = T & { id: string };

const first = <T>(bundle: Bundle): Stored<T> | undefined =>
  bundle.entry?.[0]?.resource as Stored<T> | undefined;

/** The attempt a provider message id belongs to. */
export async function attemptByProviderId(
  repository: FhirRepository,
  providerId: string,
): Promise<Stored<Communication> | undefined> {
  return first<Communication>(
    await repository.search({
      resourceType: 'Communication',
      params: [['identifier', `${PROVIDER_MESSAGE_SYSTEM}|${providerId}`]],
    }),
  );
}

/** The patients whose record holds this number or address. */
export async function patientsByAddress(
  repository: FhirRepository,
  address: string,
): Promise<Stored<Patient>[]> {
  const bundle = await repository.search({
    resourceType: 'Patient',
    params: [
      [address.includes('@') ? 'email' : 'phone', address],
      ['_count', '20'],
    ],
  });
  return (bundle.entry ?? [])
    .map((entry) => entry.resource as Stored<Patient>)
    .filter((p) => p.active !== false);
}

/** The latest message we sent those patients on the channel: what an SMS reply answers. */
export async function latestOutbound(
  repository: FhirRepository,
  to: { patientIds: string[]; channel: Channel },
): Promise<Stored<Communication> | undefined> {
  if (to.patientIds.length === 0) return undefined;
  return first<Communication>(
    await repository.search({
      resourceType: 'Communication',
      params: [
        ['subject', to.patientIds.map((id) => `Patient/${id}`).join(',')],
        ['medium', modeCodeOf(to.channel)],
        ['based-on:missing', 'false'],
        ['_sort', '-sent'],
        ['_count', '1'],
      ],
    }),
  );
}

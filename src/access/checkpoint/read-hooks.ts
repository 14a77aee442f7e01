import type { Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { seen, type Checkpoint } from './checkpoint.ts';
import { Hidden } from './guard.ts';
import { describers, emptySearchset, goneIsFine, guardedSearch, visibleOnly } from './results.ts';

type ReadHooks = Pick<FhirRepository, 'read' | 'vread' | 'history' | 'search' | 'everything'>;

/** The checkpoint's reads: each guarded and audited; what the caller may not see reads as not found. */
export function readHooks(cp: Checkpoint): ReadHooks {
  return {
    read: readHook(cp),
    vread: vreadHook(cp),
    history: historyHook(cp),
    search: searchHook(cp),
    everything: everythingHook(cp),
  };
}

const readOwned = async (cp: Checkpoint, type: string, id: string) =>
  seen(cp, await cp.repository.read(type, id), 'r');

function readHook(cp: Checkpoint): FhirRepository['read'] {
  const { ofResource } = describers(cp.compartmentOf);
  return <T extends Resource>(type: string, id: string) =>
    cp.guard({
      action: 'read',
      resourceType: type,
      interaction: 'r',
      resourceId: id,
      describe: ofResource,
      run: async () => (await readOwned(cp, type, id)) as T,
    });
}

function vreadHook(cp: Checkpoint): FhirRepository['vread'] {
  const { ofResource } = describers(cp.compartmentOf);
  return <T extends Resource>(type: string, id: string, versionId: string) =>
    cp.guard({
      action: 'vread',
      resourceType: type,
      interaction: 'r',
      resourceId: id,
      describe: ofResource,
      run: async () => seen(cp, await cp.repository.vread<T>(type, id, versionId), 'r'),
    });
}

function historyHook(cp: Checkpoint): FhirRepository['history'] {
  const { ofBundle } = describers(cp.compartmentOf);
  return (request) =>
    cp.guard({
      action: 'history',
      resourceType: request.resourceType ?? '*',
      interaction: 'r',
      resourceId: request.id,
      describe: ofBundle,
      run: async () => {
        if (request.resourceType && request.id)
          await readOwned(cp, request.resourceType, request.id).catch(goneIsFine);
        return visibleOnly(cp, await cp.repository.history(request), { interaction: 'r', ownFiltered: true });
      },
    });
}

function searchHook(cp: Checkpoint): FhirRepository['search'] {
  const { ofBundle } = describers(cp.compartmentOf);
  return (request) =>
    guardedSearch(cp, request, {
      describe: ofBundle,
      nothing: emptySearchset,
      found: async (own) =>
        visibleOnly(cp, await cp.repository.search(own), { interaction: 's', ownFiltered: false }),
    });
}

function everythingHook(cp: Checkpoint): FhirRepository['everything'] {
  const { policy } = cp;
  const { ofBundle } = describers(cp.compartmentOf);
  return (request) =>
    cp.guard({
      action: 'everything',
      resourceType: 'Patient',
      interaction: 'r',
      resourceId: request.patientId,
      describe: ofBundle,
      run: async () => {
        if (policy.ownOnly && !policy.ownPatients.has(request.patientId)) throw new Hidden();
        return visibleOnly(cp, await cp.repository.everything(request), {
          interaction: 'r',
          ownFiltered: true,
        });
      },
    });
}

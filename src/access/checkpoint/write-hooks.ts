import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository, WriteResult } from '../../store/index.ts';
import { conditionalScope, storedForWrite, type Checkpoint } from './checkpoint.ts';
import { Hidden } from './guard.ts';
import { describers } from './results.ts';
import { prepareWrite } from './write-checks.ts';

type WriteHooks = Pick<FhirRepository, 'create' | 'update' | 'conditionalUpdate' | 'delete'>;

/** The checkpoint's writes: each guarded and audited, the resource checked before it is stored. */
export function writeHooks(cp: Checkpoint): WriteHooks {
  return {
    create: createHook(cp),
    update: updateHook(cp),
    conditionalUpdate: conditionalUpdateHook(cp),
    delete: deleteHook(cp),
  };
}

/** A create or update of `resource`: guarded by the role matrix, audited naming the stored resource's patient. */
function guardedWrite<T extends Resource>(
  cp: Checkpoint,
  call: { interaction: 'c' | 'u'; resource: T; resourceId?: string },
  run: () => Promise<WriteResult<T>>,
): Promise<WriteResult<T>> {
  const { ofResource } = describers(cp.compartmentOf);
  return cp.guard({
    action: call.interaction === 'c' ? 'create' : 'update',
    resourceType: call.resource.resourceType,
    interaction: call.interaction,
    resourceId: call.resourceId,
    describe: (result) => ofResource(result.resource),
    run,
  });
}

function createHook(cp: Checkpoint): FhirRepository['create'] {
  const { repository } = cp;
  return (resource, options) =>
    guardedWrite(cp, { interaction: 'c', resource }, async () => {
      const checked = prepareWrite(cp, resource, undefined) as typeof resource;
      const ifNoneExist = options?.ifNoneExist;
      if (!ifNoneExist) return repository.create(checked);
      const scope = await conditionalScope(cp, [{ resourceType: resource.resourceType, query: ifNoneExist }]);
      return shownResult(cp, await repository.create(checked, { ifNoneExist, scope }));
    });
}

function updateHook(cp: Checkpoint): FhirRepository['update'] {
  return (resource, options) =>
    guardedWrite(cp, { interaction: 'u', resource, resourceId: resource.id }, async () => {
      const stored = resource.id ? await storedForWrite(cp, resource.resourceType, resource.id) : undefined;
      return cp.repository.update(prepareWrite(cp, resource, stored) as typeof resource, options);
    });
}

function conditionalUpdateHook(cp: Checkpoint): FhirRepository['conditionalUpdate'] {
  return (resource, query) =>
    guardedWrite(cp, { interaction: 'u', resource }, async () => {
      // One-patient callers update by id: what they may change is then plain to check.
      if (cp.policy.ownOnly)
        throw new ThroughlineError('FORBIDDEN', 'Conditional update is not available to patient apps');
      const scope = await conditionalScope(cp, [{ resourceType: resource.resourceType, query }]);
      const checked = prepareWrite(cp, resource, undefined) as typeof resource;
      return shownResult(cp, await cp.repository.conditionalUpdate(checked, query, { scope }));
    });
}

function deleteHook(cp: Checkpoint): FhirRepository['delete'] {
  return (type, id) =>
    cp.guard({
      action: 'delete',
      resourceType: type,
      interaction: 'd',
      resourceId: id,
      describe: () => ({}),
      run: async () => {
        await storedForWrite(cp, type, id);
        return cp.repository.delete(type, id);
      },
    });
}

/** A conditional write's result as the caller may see it (a match was admitted, so visible; masks still apply). */
function shownResult<T extends Resource>(cp: Checkpoint, result: WriteResult<T>): WriteResult<T> {
  const visible = cp.policy.visible(result.resource, 'r');
  if (!visible) throw new Hidden();
  return { ...result, resource: visible as T & { id: string } };
}

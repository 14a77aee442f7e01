import type { BundleEntry } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';

/**
 * A GET entry of a batch or transaction, run as the same scoped call the direct request makes
 * (a Bundle is no way around the checkpoint): `Type/id`, `Type/id/_history[/vid]`,
 * `Patient/id/$everything`, `Patient/id/Type` (a compartment search) and `Type?query`.
 */
export async function runGetEntry(scoped: FhirRepository, url: string): Promise<BundleEntry> {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(/^\/+|\/+$/g, '');
  const params = [...new URLSearchParams(at < 0 ? '' : url.slice(at + 1))];
  const [type = '', id, sub, vid, ...extra] = path.split('/');
  const ok = { status: '200 OK' };
  if (extra.length > 0 || !type) throw unsupported(url);
  if (!id || id === '_search')
    return { resource: await scoped.search({ resourceType: type, params }), response: ok };
  if (id === '_history') return { resource: await scoped.history({ resourceType: type }), response: ok };
  if (sub === undefined) return read(await scoped.read(type, id));
  if (sub === '_history')
    return vid
      ? read(await scoped.vread(type, id, vid))
      : { resource: await scoped.history({ resourceType: type, id }), response: ok };
  if (type !== 'Patient' || vid !== undefined) throw unsupported(url);
  if (sub === '$everything') return { resource: await scoped.everything({ patientId: id }), response: ok };
  const compartment = { resourceType: 'Patient' as const, id };
  return { resource: await scoped.search({ resourceType: sub, params, compartment }), response: ok };
}

function read(resource: { meta?: { versionId?: string } }): BundleEntry {
  return {
    resource: resource as BundleEntry['resource'],
    response: { status: '200 OK', etag: `W/"${resource.meta?.versionId}"` },
  };
}

function unsupported(url: string): ThroughlineError {
  return new ThroughlineError('NOT_SUPPORTED', `GET ${url} is not supported in a Bundle`);
}

import type { BundleEntry } from '@medplum/fhirtypes';
import { readResource } from '../read/read-resource.ts';
import { searchResources } from '../search/search-resources.ts';
import type { TxContext } from '../store-context.ts';

/** A GET entry of a Bundle: a read (`Type/id`) or a search (`Type?query`). */
export async function readEntry(ctx: TxContext, url: string): Promise<BundleEntry> {
  const [path = '', query] = url.replace(/^\/+/, '').split('?');
  const [resourceType = '', id] = path.split('/');
  if (id) {
    const resource = await readResource(ctx.tx, resourceType, id);
    return {
      fullUrl: `${ctx.baseUrl}/${resourceType}/${id}`,
      resource,
      response: { status: '200 OK', etag: `W/"${resource.meta?.versionId}"` },
    };
  }
  const bundle = await searchResources(ctx.tx, {
    resourceType,
    params: [...new URLSearchParams(query ?? '')],
    baseUrl: ctx.baseUrl,
  });
  return { resource: bundle, response: { status: '200 OK' } };
}

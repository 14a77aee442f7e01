import type { FhirRepository, StoredPage, StoredRow } from '../../store/index.ts';
import type { Checkpoint } from './checkpoint.ts';
import { guardedSearch } from './results.ts';

/**
 * Streaming reads (bulk export): a keyset page of a search, guarded and audited as a search
 * naming the page's patients. When the policy shows this type as stored (`showsStored`: not
 * masked, not one patient's, hidden labels left out in the query) the rows' JSON text goes out
 * untouched — the fast path, nothing parsed; consent is still decided per row, by its patient
 * (the store's compartment column, the same `patientCompartmentOf` the checkpoint uses).
 * Otherwise each row is parsed and shown as `visible` makes it: masked, or left out.
 */
export function storedPageHook(cp: Checkpoint): FhirRepository['readStoredPage'] {
  const patientsOf = (page: StoredPage) => ({
    patients: page.rows.flatMap((row) => (row.compartment ? [row.compartment] : [])),
  });
  return (request) =>
    guardedSearch(cp, request, {
      describe: patientsOf,
      nothing: (): StoredPage => ({ rows: [] }),
      found: async (own) => {
        const page = await cp.repository.readStoredPage({ ...own, after: request.after });
        const rows = await visibleRows(cp, { resourceType: request.resourceType, page });
        return { ...page, rows };
      },
    });
}

async function visibleRows(
  cp: Checkpoint,
  read: { resourceType: string; page: StoredPage },
): Promise<StoredRow[]> {
  const { policy, gate } = cp;
  const { resourceType, page } = read;
  await gate.prefetchPatients(page.rows.flatMap((row) => (row.compartment ? [row.compartment] : [])));
  const asStored = policy.showsStored(resourceType);
  await cp.hold.prepare();
  const held = new Set(cp.hold.hiddenIds(resourceType));
  return page.rows.flatMap((row): StoredRow[] => {
    const shown = asStored ? row : reshown(cp, row);
    if (!shown || held.has(row.id)) return [];
    if (gate.hidesRow({ resourceType, patient: row.compartment ?? undefined })) return [];
    return [shown];
  });
}

/** The slow path: the row parsed, masked or dropped by the policy, and written back out. */
function reshown(cp: Checkpoint, row: StoredRow): StoredRow | undefined {
  const visible = cp.policy.visible(JSON.parse(row.content), 's');
  return visible ? { ...row, content: JSON.stringify(visible) } : undefined;
}

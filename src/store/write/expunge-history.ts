import type { SqlDatabase } from '../sql/database.ts';

export interface ResourceRef {
  resourceType: string;
  id: string;
}

/**
 * Privacy erasure: after the erasing writes (contact data removed, engagement deleted), the
 * earlier versions still hold what was erased. This removes every version but the current one
 * and blanks the content kept for deleted resources. The change-event outbox holds ids only,
 * so nothing erased survives there. The one place the store forgets: callers are the privacy
 * routes, after an authorised, audited erasure.
 */
export async function expungeHistory(db: SqlDatabase, refs: ResourceRef[]): Promise<number> {
  if (refs.length === 0) return 0;
  const types = refs.map((ref) => ref.resourceType);
  const ids = refs.map((ref) => ref.id);
  return db.transaction(async (tx) => {
    const removed = await tx.query(
      `DELETE FROM resource_history h USING resource r, unnest($1::text[], $2::text[]) AS t(resource_type, id)
       WHERE h.resource_type = t.resource_type AND h.id = t.id
         AND r.resource_type = h.resource_type AND r.id = h.id AND h.version_id < r.version_id`,
      [types, ids],
    );
    await tx.query(
      `UPDATE resource r SET content = json_build_object('resourceType', r.resource_type, 'id', r.id)::text
       FROM unnest($1::text[], $2::text[]) AS t(resource_type, id)
       WHERE r.resource_type = t.resource_type AND r.id = t.id AND r.deleted`,
      [types, ids],
    );
    return removed.affectedRows ?? 0;
  });
}

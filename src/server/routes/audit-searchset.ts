import type { Bundle } from '@medplum/fhirtypes';
import { toAuditEvent, type AuditQuery, type AuditRow } from '../../access/index.ts';

export interface AuditPage {
  query: AuditQuery;
  base: string;
  /** How a query is written back as a link (each API spells its filters its own way). */
  linkTo: (base: string, query: AuditQuery) => string;
  total?: number;
  /** Give each entry a `fullUrl` (the FHIR API; the privacy report has no per-event URL). */
  fullUrls?: boolean;
}

/** One page of audit rows as a searchset Bundle, with `next` when the page is full. */
export function auditSearchset(rows: AuditRow[], page: AuditPage): Bundle {
  const { query, base, linkTo } = page;
  const link = [{ relation: 'self', url: linkTo(base, query) }];
  const last = rows.at(-1);
  if (last && rows.length === query.count)
    link.push({ relation: 'next', url: linkTo(base, { ...query, before: last.id }) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(page.total !== undefined ? { total: page.total } : {}),
    link,
    entry: rows.map((row) => ({
      ...(page.fullUrls ? { fullUrl: `${base}/${row.id}` } : {}),
      resource: toAuditEvent(row),
      search: { mode: 'match' as const },
    })),
  };
}

import type { Resource } from '@medplum/fhirtypes';
import { normalizeSearchString } from '../../fhir/search-normalize.ts';
import type { FoundValue } from './compile-path.ts';
import type { IndexTable } from './search-params.ts';
import { searchParamsFor } from './search-params.ts';
import { dateValues, numberValues, referenceValues, stringValues, tokenValues } from './index-values.ts';

/**
 * Index rows of a batch as parallel column arrays, one set per table, in the column order of
 * migration 002 — ready for `unnest($1::text[], …)`, so a batch costs one statement.
 */
export type IndexColumns = Record<IndexTable, unknown[][]>;

export const columnCounts: Record<IndexTable, number> = {
  token: 6,
  string: 5,
  date: 5,
  number: 8,
  reference: 8,
};

/** Long texts are cut: btree entries are limited to ~2.7 kB, and nobody searches page 3 of a note. */
const maxStringLength = 512;

export function emptyColumns(): IndexColumns {
  const make = (table: IndexTable): unknown[][] => Array.from({ length: columnCounts[table] }, () => []);
  return {
    token: make('token'),
    string: make('string'),
    date: make('date'),
    number: make('number'),
    reference: make('reference'),
  };
}

export function extractIndexRows(
  resources: Resource[],
  columns: IndexColumns = emptyColumns(),
): IndexColumns {
  for (const resource of resources) extractOne(resource, columns);
  return columns;
}

function push(target: unknown[][], values: unknown[]): void {
  for (let i = 0; i < values.length; i++) target[i]!.push(values[i]);
}

function extractOne(resource: Resource, columns: IndexColumns): void {
  const type = resource.resourceType;
  const id = resource.id as string;
  for (const param of searchParamsFor(type).indexed) {
    const found = param.evaluate(resource);
    if (found.length === 0) continue;
    const row: IndexRowTarget = { table: param.table!, key: [type, id, param.code], columns };
    for (const item of found) pushValue(item, row);
  }
}

/** Where one parameter's values of one resource go: its index table, the row key, the columns. */
interface IndexRowTarget {
  table: IndexTable;
  /** resource_type, id, code: the first columns of every index row. */
  key: unknown[];
  columns: IndexColumns;
}

function pushValue(item: FoundValue, { table, key, columns }: IndexRowTarget): void {
  switch (table) {
    case 'token':
      return tokenValues(item, (system, value, display) =>
        push(columns.token, [...key, system, value, display]),
      );
    case 'string':
      return stringValues(item, (value) => {
        const exact = value.length > maxStringLength ? value.slice(0, maxStringLength) : value;
        push(columns.string, [...key, normalizeSearchString(exact), exact]);
      });
    case 'date':
      return dateValues(item, (low, high) => push(columns.date, [...key, low, high]));
    case 'number':
      return numberValues(item, ({ low, high, system, code, unit }) =>
        push(columns.number, [...key, low, high, system, code, unit]),
      );
    case 'reference':
      return referenceValues(item, ({ targetType, targetId, reference, identifier }) =>
        push(columns.reference, [
          ...key,
          targetType,
          targetId,
          reference,
          identifier?.system,
          identifier?.value,
        ]),
      );
  }
}

import type { Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { evaluateRuleExpression } from '../rules/rule-fhirpath.ts';
import type { ExtractColumn, ExtractSpec } from './extract-spec.ts';

const PAGE = 500;

/** Rows counted as they are read (the generator's caller reads it when done). */
export interface RowCount {
  rows: number;
}

/**
 * The extract's text, a page at a time: ndjson (one resource per line) or CSV (a header, then
 * one line per resource). Pages by id (`after`), so a large extract reads each row once and
 * never holds more than a page; strict, so a misspelt parameter fails instead of extracting
 * every resource of the type. Reads through the repository it is given (the checkpoint).
 */
export async function* extractLines(
  repository: FhirRepository,
  { spec, count }: { spec: ExtractSpec; count: RowCount },
): AsyncIterable<string> {
  if (spec.format === 'csv') yield `${spec.columns.map((column) => csvField(column.header)).join(',')}\r\n`;
  for (let after: string | undefined; ;) {
    const page = await readPage(repository, { spec, after });
    if (page.length > 0) yield page.map((resource) => lineOf(resource, spec)).join('');
    count.rows += page.length;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

async function readPage(
  repository: FhirRepository,
  { spec, after }: { spec: ExtractSpec; after: string | undefined },
): Promise<Resource[]> {
  const bundle = await repository.search({
    resourceType: spec.resourceType,
    params: [...spec.params, ['_count', String(PAGE)]],
    after,
    strict: true,
  });
  return (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode !== 'include')
    .map((entry) => entry.resource as Resource);
}

function lineOf(resource: Resource, spec: ExtractSpec): string {
  if (spec.format === 'ndjson') return `${JSON.stringify(resource)}\n`;
  return `${spec.columns.map((column) => csvField(cellOf(resource, column))).join(',')}\r\n`;
}

/** A column's FHIRPath over the row: every value, `|`-separated; a complex one as JSON. */
function cellOf(resource: Resource, column: ExtractColumn): string {
  const values = evaluateRuleExpression(column.expression, {
    resource,
    event: { action: 'scheduled', resourceType: resource.resourceType },
  });
  return values
    .map(({ value }) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)))
    .join('|');
}

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled).
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, OWASP "CSV injection")
 * gets a leading `'` — patients write some of these values — unless it is a number.
 */
export function csvField(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/**
 * FHIR string search is "case- and accent-insensitive" (R4 3.1.1.5.7): the index stores this
 * normalized form and queries normalize their input the same way, so a plain btree answers them.
 */
const ascii = /^[\x20-\x7e]*$/;
const combiningMarks = /[\u0300-\u036f]/g;

export function normalizeSearchString(value: string): string {
  // Most values are printable ASCII: skipping NFD there keeps indexing cheap.
  if (ascii.test(value)) return value.toLowerCase();
  return value.normalize('NFD').replace(combiningMarks, '').toLowerCase();
}

/** Escapes LIKE wildcards so user input is matched literally (`\` is PostgreSQL's default escape). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

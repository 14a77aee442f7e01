/** What one extract writes (an `extract` action's parameters, checked when the rule is written). */
export interface ExtractSpec {
  /** The search, `Type?params` (strict: an unknown parameter fails). */
  resourceType: string;
  params: [string, string][];
  format: ExtractFormat;
  /** The file's name before the occurrence stamp (`results` → `results-2026-12-04T060000Z.csv`). */
  name: string;
  /** A sub-folder of the extract folder (`AUTOMATION_EXTRACT_DIR`); '' is the folder itself. */
  folder: string;
  /** CSV: one column per FHIRPath over each row, in order (the header is `header`). */
  columns: ExtractColumn[];
}

export type ExtractFormat = 'ndjson' | 'csv';
export const EXTRACT_FORMATS: ExtractFormat[] = ['ndjson', 'csv'];

export interface ExtractColumn {
  header: string;
  expression: string;
}

/** A file or folder name a rule may give: no separator, not hidden, not `.` or `..`. */
export const SAFE_NAME = /^[\w-][\w.-]{0,99}$/;

/**
 * Why a rule's sub-folder would leave the extract folder, or undefined: relative, `/`-separated
 * names only. `..`, an absolute path or a backslash is refused, whatever follows it.
 */
export function folderProblem(folder: string): string | undefined {
  if (folder === '') return undefined;
  if (folder.startsWith('/') || folder.includes('\\'))
    return `"${folder}" is not a relative folder inside AUTOMATION_EXTRACT_DIR`;
  const parts = folder.split('/');
  if (parts.includes('..')) return `"${folder}" leaves AUTOMATION_EXTRACT_DIR ("..")`;
  if (parts.length > 5 || !parts.every((part) => SAFE_NAME.test(part)))
    return `"${folder}": at most 5 names of letters, digits, dot, dash, underscore, separated by /`;
  return undefined;
}

/** The file's name for one occurrence: `{name}-2026-12-04T060000Z.{format}` (sorts by time, no colons). */
export function extractFileName(spec: Pick<ExtractSpec, 'name' | 'format'>, occurrence: string): string {
  const stamp = new Date(occurrence)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '');
  return `${spec.name}-${stamp}.${spec.format}`;
}

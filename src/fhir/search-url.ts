/**
 * The FHIR search result parameters (R4 §3.1.1.5): they page and shape the answer and say
 * nothing about which resources match, so criteria (a subscription's, a rule's cohort) drop them.
 */
export const RESULT_PARAMETERS: readonly string[] = [
  '_count',
  '_sort',
  '_include',
  '_revinclude',
  '_summary',
  '_elements',
  '_total',
];

const RESULT_PARAMETER_SET = new Set(RESULT_PARAMETERS);

/** `Type?params` read as search criteria, result parameters left out; undefined when it does not read so. */
export function searchCriteriaOf(
  text: string | undefined,
): { resourceType: string; params: [string, string][] } | undefined {
  const [type = '', query = ''] = (text ?? '').trim().split(/\?(.*)/s, 2);
  if (!/^[A-Z][A-Za-z]{1,63}$/.test(type)) return undefined;
  const params = [...new URLSearchParams(query)].filter(([name]) => !RESULT_PARAMETER_SET.has(name));
  return { resourceType: type, params };
}

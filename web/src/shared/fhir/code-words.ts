// Codes as staff read them: a CodeSystem's display where the app knows it, the catalog's title
// for a rule, and only for a code nobody has named yet the code itself in plain words.

/**
 * The displays of `https://throughline.dev/fhir/CodeSystem/outreach-purpose`: the server's
 * `PURPOSE_DISPLAY` (src/engagement/model/outreach-codes.ts), which it writes on its codings, for
 * what the app has as a bare code (the web app cannot import the server; keep the two the same).
 */
const OUTREACH_PURPOSE_DISPLAY: Record<string, string> = {
  'appointment-reminder': 'Appointment reminder',
  'results-ready': 'Results ready',
  'care-gap': 'Care gap',
  referral: 'Referral',
  survey: 'Survey',
  marketing: 'Marketing',
};

/** A code nobody has given words to (`new-thing` → `New thing`): better than nothing, never preferred. */
export function codeAsWords(code: string): string {
  return code.replace(/-/g, ' ').replace(/^./, (first) => first.toUpperCase());
}

/** Why outreach was sent (`CommunicationRequest.category`), as the CodeSystem displays it. */
export function outreachPurposeDisplay(code: string): string {
  return OUTREACH_PURPOSE_DISPLAY[code] ?? codeAsWords(code);
}

/** A signal rule (care gap, pain point, follow-up) by its title in the journey catalog. */
export function signalRuleTitle(id: string, rules: { id: string; title: string }[] | undefined): string {
  return rules?.find((rule) => rule.id === id)?.title ?? codeAsWords(id);
}

/**
 * Task.performerType of every worklist Task. The journey engine, engagement, automation and the
 * portal each put Tasks on named lists, and the worklist views and KPIs find them by this one
 * system: it lives here, below the capabilities, because they may not import each other.
 */
export const WORKLIST_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/worklist';

/**
 * Journey stage as a KPI dimension (migration 032). A journey's stage periods are facts of kind
 * `journey-stage` (grp `journey/stage`, `at` the start, `until` the end, `patient` the person the
 * episode is on: the golden record when there is one), and a record linked to a golden record keeps
 * a `golden-record` fact (link: the golden id). A fact's stage is the period of its person that holds
 * its instant; a snapshot's (no instant), the period still open.
 */
export const stageKind = 'journey-stage';
export const goldenKind = 'golden-record';

/** The KPIs whose group is the stage in the patient journey when it happened (`none` outside it). */
export const stageGroupedKinds = ['satisfaction-by-stage', 'survey-response-by-stage'];
/** The journey those KPIs are grouped by: the customer's journey (src/journey/definitions). */
export const groupingJourney = 'patient-journey';

/** The person (id) of a record: its golden record's, else its own. */
const personSql = (patient: string) =>
  `COALESCE((SELECT g.link FROM kpi_fact g WHERE g.source_type = 'Patient' AND g.source_id = ${patient}
    AND g.kind = '${goldenKind}' AND g.seq = 0), ${patient})`;

/** The stage-period rows `s` of a record's person that hold an instant (NULL: a snapshot, the open period). */
export const stagePeriodsSql = (patient: string, at: string) => `
  kpi_fact s WHERE s.kind = '${stageKind}' AND s.patient = ${personSql(patient)}
    AND CASE WHEN ${at} IS NULL THEN s.until IS NULL ELSE s.at <= ${at} AND (s.until IS NULL OR ${at} < s.until) END`;

/** A stage (`journey/stage`) matches a journey filter and, when given, a stage filter. */
export const stageMatchesSql = (stage: string, journey: string, code: string) =>
  `(split_part(${stage}, '/', 1) = ${journey} AND (${code}::text IS NULL OR split_part(${stage}, '/', 2) = ${code}))`;

/** Whether a fact's record was in the journey (and stage) filtered by at its instant; true without a filter. */
export const inStageSql = (patient: string, at: string, filter: { journey: string; stage: string }) =>
  `(${filter.journey}::text IS NULL OR EXISTS (SELECT 1 FROM ${stagePeriodsSql(patient, at)}
    AND ${stageMatchesSql('s.grp', filter.journey, filter.stage)}))`;

/** The group of a stage-grouped KPI's fact: its stage code in the patient journey, else `none`. */
export const stageGroupSql = (patient: string, at: string) =>
  `COALESCE((SELECT split_part(s.grp, '/', 2) FROM ${stagePeriodsSql(patient, at)}
    AND starts_with(s.grp, '${groupingJourney}/') ORDER BY s.at DESC LIMIT 1), 'none')`;

/**
 * The facts whose stage may change with the given ones (\`c\`: kept and incoming rows of the changed
 * resources): every fact of a person whose stage periods change (on the person's id or a record
 * linked to it), and every fact of a record linked to or unlinked from a golden record.
 */
export const stageAffectedSql = (linkKinds: string[]) => {
  const counted = `o.kind <> ALL(ARRAY[${linkKinds.map((kind) => `'${kind}'`).join(', ')}])`;
  return `
UNION SELECT o.source_type, o.source_id, o.kind FROM c
  JOIN kpi_fact o ON o.patient = c.patient AND ${counted} WHERE c.kind = '${stageKind}'
UNION SELECT o.source_type, o.source_id, o.kind FROM c
  JOIN kpi_fact g ON g.kind = '${goldenKind}' AND g.link = c.patient
  JOIN kpi_fact o ON o.patient = g.source_id AND ${counted} WHERE c.kind = '${stageKind}'
UNION SELECT o.source_type, o.source_id, o.kind FROM c
  JOIN kpi_fact o ON o.patient = c.source_id AND ${counted} WHERE c.kind = '${goldenKind}'`;
};

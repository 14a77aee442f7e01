import type { Resource, Task } from '@medplum/fhirtypes';
import { WORKLIST_SYSTEM } from '../../fhir/worklist-system.ts';
import { daysBetween, patientOf, type Fact, type KpiCollector } from './kpi-model.ts';

/** How the journey engine marks its worklist Tasks (src/journey: Task.code's kind, Task.performerType). */
const SIGNAL_KIND_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/journey-signal-kind';

const kindOf = (task: Task) =>
  task.code?.coding?.find((coding) => coding.system === SIGNAL_KIND_SYSTEM)?.code;
const onWorklist = (task: Task) =>
  task.performerType?.some((type) => type.coding?.some((coding) => coding.system === WORKLIST_SYSTEM)) ??
  false;

/** Care gaps and follow-ups opened in a period: the share closed, and the median days to close. */
export function followUpKpis(): KpiCollector {
  const facts: Fact[] = [];
  return {
    types: ['Task'],
    kpis: [
      { id: 'follow-up-closure-rate', title: 'Care gaps and follow-ups closed', kind: 'rate' },
      {
        id: 'follow-up-days-to-close',
        title: 'Days to close a care gap or follow-up (median)',
        kind: 'median',
      },
    ],
    add(resource: Resource) {
      facts.push(...followUpFacts(resource as Task));
    },
    facts: () => facts,
  };
}

/** A worklist care gap's or follow-up's facts: opened (closed or not), and its days to close. */
export function followUpFacts(task: Task): Fact[] {
  const kind = kindOf(task);
  if ((kind !== 'care-gap' && kind !== 'follow-up') || !onWorklist(task) || !task.authoredOn) return [];
  if (task.status === 'cancelled' || task.status === 'entered-in-error') return [];
  const patient = patientOf(task.for?.reference);
  const closed = task.status === 'completed';
  const at = task.authoredOn;
  const facts: Fact[] = [{ kpi: 'follow-up-closure-rate', at, patient, inNumerator: closed, group: kind }];
  const end = task.executionPeriod?.end ?? task.lastModified;
  if (closed && end)
    facts.push({
      kpi: 'follow-up-days-to-close',
      at,
      patient,
      inNumerator: true,
      group: kind,
      days: Math.max(0, daysBetween(at, end)),
    });
  return facts;
}

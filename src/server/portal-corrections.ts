import type { Bundle, Reference, Task } from '@medplum/fhirtypes';
import { WORKLIST_SYSTEM } from '../fhir/worklist-system.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';

/**
 * "Ask us to correct something" (HIPAA right to amend, issue 20). Her request becomes a FHIR
 * `Task` on the staff's `record-corrections` worklist, written by the portal's service store
 * (a patient may not write Tasks) only after her own store (`own`) proved the item she names
 * is in her record; her list is read back by the service store for her Patient alone.
 */
export interface PortalCorrectionDeps {
  service: FhirRepository;
  own: FhirRepository;
  patient: string;
  /** Who asks: her Patient, or the caregiver's grant (`RelatedPerson/…`) acting for her. */
  requester: string;
  now: Date;
}

/** Task.code of a correction request (documented in src/server/README.md). */
export const CORRECTION_CODE = {
  system: 'https://throughline.dev/fhir/CodeSystem/portal-request',
  code: 'record-correction',
  display: 'Request to correct the record',
};
export const CORRECTIONS_WORKLIST = 'record-corrections';
const MAX_TEXT = 2000;

/** One request as the portal shows it. */
export interface CorrectionView {
  id: string;
  status: Task['status'];
  description: string;
  focus?: string;
  authoredOn?: string;
  statusReason?: string;
}

const invalid = (expression: string, message: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression });

/** `{description, focus?}` from the body (400 naming the field otherwise). */
export function correctionOf(body: unknown): { description: string; focus?: string } {
  const { description, focus } = (body ?? {}) as Record<string, unknown>;
  const text = typeof description === 'string' ? description.trim() : '';
  if (!text || text.length > MAX_TEXT)
    throw invalid('description', `description must say what is wrong, in 1 to ${MAX_TEXT} characters`);
  if (focus === undefined) return { description: text };
  if (typeof focus !== 'string' || !/^[A-Z][A-Za-z]{1,40}\/[A-Za-z0-9\-.]{1,64}$/.test(focus))
    throw invalid('focus', 'focus must be a reference to an item of your record, such as Observation/123');
  return { description: text, focus };
}

export function correctionView(task: Task): CorrectionView {
  return {
    id: task.id ?? '',
    status: task.status,
    description: task.description ?? '',
    focus: task.focus?.reference,
    authoredOn: task.authoredOn,
    statusReason: task.statusReason?.text ?? task.statusReason?.coding?.[0]?.display,
  };
}

/** Her request, after her own store read the item she names (another patient's → 404). */
export async function requestCorrection(deps: PortalCorrectionDeps, body: unknown): Promise<CorrectionView> {
  const wish = correctionOf(body);
  if (wish.focus) {
    const [type, id] = wish.focus.split('/') as [string, string];
    await deps.own.read(type, id);
  }
  const focus: Reference | undefined = wish.focus ? { reference: wish.focus } : undefined;
  const { resource } = await deps.service.create<Task>({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [CORRECTION_CODE] },
    description: wish.description,
    for: { reference: `Patient/${deps.patient}` },
    requester: { reference: deps.requester },
    ...(focus ? { focus } : {}),
    authoredOn: deps.now.toISOString(),
    performerType: [{ coding: [{ system: WORKLIST_SYSTEM, code: CORRECTIONS_WORKLIST }] }],
  });
  return correctionView(resource);
}

/** Her requests, newest first, whatever their status. */
export async function correctionsFor(deps: PortalCorrectionDeps): Promise<CorrectionView[]> {
  const bundle: Bundle = await deps.service.search({
    resourceType: 'Task',
    params: [
      ['patient', `Patient/${deps.patient}`],
      ['code', `${CORRECTION_CODE.system}|${CORRECTION_CODE.code}`],
      ['_sort', '-authored-on'],
      ['_count', '100'],
    ],
  });
  return (bundle.entry ?? []).map((entry) => correctionView(entry.resource as Task));
}

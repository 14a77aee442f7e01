import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { QuestionnaireResponseItem } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { formsFor, openForm, saveForm, type FormAnswers, type PortalFormDeps } from '../portal-forms.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';
import type { ServerDeps } from '../server-deps.ts';
import { resourceId } from './fhir-request.ts';
import { audited, patientOf, serviceStore } from './portal-caller.ts';

type TaskRequest = FastifyRequest<{ Params: { task: string } }>;

async function formDeps(deps: ServerDeps, request: FastifyRequest): Promise<PortalFormDeps> {
  const patient = patientOf(request);
  return {
    own: request.fhir,
    service: serviceStore(deps, request),
    patient,
    ids: compartmentIds(await resolvePerson(request.fhir, patient)),
    now: deps.clock.now(),
  };
}

/** `{item, submit}`: the answers as QuestionnaireResponse items (400 naming the field otherwise). */
function answersOf(body: unknown): FormAnswers {
  const { item, submit } = (body ?? {}) as Record<string, unknown>;
  if (!Array.isArray(item) || item.some((each) => typeof (each as { linkId?: unknown })?.linkId !== 'string'))
    throw new ThroughlineError(
      'INVALID_REQUEST',
      'item must be a list of answered items, each with its linkId',
      {
        expression: 'item',
      },
    );
  if (typeof submit !== 'boolean')
    throw new ThroughlineError('INVALID_REQUEST', 'submit must be true or false', { expression: 'submit' });
  return { item: item as QuestionnaireResponseItem[], submit };
}

/**
 * Her forms: the list, one form with her answers so far (or prefilled), and saving a draft or
 * submitting. Reads of the form are audited by the stores that did them; a save under her.
 */
export function registerPortalForms(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/portal/forms', async (request) => ({
    forms: await formsFor(await formDeps(deps, request)),
  }));
  routes.get('/api/portal/forms/:task', async (request: TaskRequest) =>
    openForm(await formDeps(deps, request), resourceId(request.params.task)),
  );
  routes.put('/api/portal/forms/:task', async (request: TaskRequest) => {
    const task = resourceId(request.params.task);
    const answers = answersOf(request.body);
    const response = await saveForm(await formDeps(deps, request), { task, answers });
    await audited(deps, request, {
      action: answers.submit ? 'portal-form-submit' : 'portal-form-draft',
      resourceType: 'QuestionnaireResponse',
      resourceId: response.id,
    });
    return { response };
  });
}

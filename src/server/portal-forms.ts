import type {
  Bundle,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  Task,
} from '@medplum/fhirtypes';
import { checkResponse } from '../fhir/questionnaire-check.ts';
import { populateResponseItems, queryVariables } from '../fhir/questionnaire-populate.ts';
import { COMPLETE_QUESTIONNAIRE, questionnaireOfTask, SDC_TASK_SYSTEM } from '../fhir/questionnaire-task.ts';
import { notFound, ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';

/**
 * Forms in the portal (issue 20): the Questionnaires the clinic gave her to fill in (SDC
 * questionnaire Tasks), opened prefilled from what the clinic knows, saved as her
 * QuestionnaireResponse — a draft (`in-progress`) or submitted (`completed`). Her role may not
 * read Tasks (a worklist Task names what staff do about her), so the portal's service store
 * reads only questionnaire Tasks, and only those `for` one of her own records (`ids`); the
 * response is written with her own store, which refuses one about anyone else.
 */
export interface PortalFormDeps {
  own: FhirRepository;
  service: FhirRepository;
  patient: string;
  /** Her records (the person's golden and source records): whose Tasks are hers. */
  ids: string[];
  now: Date;
}

/** Identifies a response by the questionnaire Task it answers. */
const FORM_TASK_SYSTEM = 'https://throughline.dev/fhir/sid/questionnaire-task';

type Stored<T> = T & { id: string };
const resourcesOf = <T>(bundle: Bundle) =>
  (bundle.entry ?? []).map((entry) => entry.resource as unknown as Stored<T>);

async function questionnaireTasks(deps: PortalFormDeps): Promise<Stored<Task>[]> {
  const bundle = await deps.service.search({
    resourceType: 'Task',
    params: [
      ['patient', deps.ids.map((id) => `Patient/${id}`).join(',')],
      ['code', `${SDC_TASK_SYSTEM}|${COMPLETE_QUESTIONNAIRE}`],
      ['_count', '100'],
    ],
  });
  // A draft is not given to her yet (a survey before its invitation went).
  return resourcesOf<Task>(bundle).filter(
    (task) => !['cancelled', 'rejected', 'draft'].includes(task.status),
  );
}

/** Her questionnaire Task (404 for anyone else's, as for one that does not exist). */
async function ownTask(deps: PortalFormDeps, id: string): Promise<Stored<Task>> {
  const task = (await questionnaireTasks(deps)).find((each) => each.id === id);
  if (!task) throw notFound(`Task/${id}`);
  return task;
}

async function questionnaireOf(deps: PortalFormDeps, canonical: string | undefined) {
  const [url, version] = (canonical ?? '').split('|');
  const bundle = await deps.own.search({
    resourceType: 'Questionnaire',
    params: [['url', url ?? ''], ...(version ? [['version', version] as [string, string]] : [])],
  });
  const found = resourcesOf<Questionnaire>(bundle)[0];
  if (!found) throw new ThroughlineError('NOT_FOUND', `The form ${canonical ?? ''} is not available`);
  return found;
}

const canonicalOf = (questionnaire: Questionnaire) =>
  questionnaire.version ? `${questionnaire.url}|${questionnaire.version}` : (questionnaire.url ?? '');

/**
 * Her responses to the form given by this Task, latest first: those naming the Task, or (saved
 * before responses named their Task) any to the same form. A survey is one form for many
 * visits: each visit's Task has its own answers.
 */
async function responsesTo(deps: PortalFormDeps, given: { questionnaire: Questionnaire; task: string }) {
  const { questionnaire, task } = given;
  const bundle = await deps.own.search({
    resourceType: 'QuestionnaireResponse',
    params: [
      ['_count', '200'],
      ['_sort', '-_lastUpdated'],
    ],
  });
  const taskOf = (r: QuestionnaireResponse) =>
    [r.identifier].find((i) => i?.system === FORM_TASK_SYSTEM)?.value ?? task;
  return resourcesOf<QuestionnaireResponse>(bundle).filter(
    (r) => r.questionnaire === canonicalOf(questionnaire) && taskOf(r) === task,
  );
}

export interface FormSummary {
  task: string;
  title: string;
  description?: string;
  state: 'to-do' | 'draft' | 'submitted';
  updated?: string;
}

/** The forms given to her, each with where she is: not started, a draft, or submitted. */
export async function formsFor(deps: PortalFormDeps): Promise<FormSummary[]> {
  const forms: FormSummary[] = [];
  for (const task of await questionnaireTasks(deps)) {
    const questionnaire = await questionnaireOf(deps, questionnaireOfTask(task));
    const latest = (await responsesTo(deps, { questionnaire, task: task.id }))[0];
    const state =
      task.status === 'completed' ? 'submitted' : latest?.status === 'in-progress' ? 'draft' : 'to-do';
    forms.push({
      task: task.id,
      title: questionnaire.title ?? questionnaire.name ?? 'Form',
      description: task.description,
      state,
      updated: state === 'to-do' ? undefined : latest?.authored,
    });
  }
  return forms;
}

/** Her Patient and the results of the form's queries, run through her own store. */
async function prefillContext(deps: PortalFormDeps, questionnaire: Questionnaire) {
  const patient = await deps.own.read<Patient>('Patient', deps.patient);
  const variables: Record<string, Bundle> = {};
  for (const { name, query } of queryVariables(questionnaire, deps.patient)) {
    const [resourceType, search] = query.split('?');
    const params = [...new URLSearchParams(search ?? '').entries()];
    variables[name] = await deps.own.search({ resourceType: resourceType ?? '', params });
  }
  return { patient, variables };
}

/**
 * The form and her answers so far: the latest response (a draft, or what she submitted), or a
 * new one prefilled from what the clinic knows (stored only when she saves it).
 */
export async function openForm(deps: PortalFormDeps, taskId: string) {
  const task = await ownTask(deps, taskId);
  const questionnaire = await questionnaireOf(deps, questionnaireOfTask(task));
  const latest = (await responsesTo(deps, { questionnaire, task: task.id }))[0];
  if (latest) return { task, questionnaire, response: latest };
  const item = populateResponseItems(questionnaire, await prefillContext(deps, questionnaire));
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    questionnaire: canonicalOf(questionnaire),
    status: 'in-progress',
    subject: { reference: `Patient/${deps.patient}` },
    item,
  };
  return { task, questionnaire, response };
}

/** What she sends: her answers, and whether she submits them or keeps a draft. */
export interface FormAnswers {
  item: QuestionnaireResponseItem[];
  submit: boolean;
}

/**
 * Saves her answers: checked against the form (400 naming the item; all required ones to
 * submit), written as her QuestionnaireResponse (her draft updated, else a new one); a
 * submitted form completes its Task with the response as output.
 */
export async function saveForm(deps: PortalFormDeps, request: { task: string; answers: FormAnswers }) {
  const task = await ownTask(deps, request.task);
  if (task.status === 'completed')
    throw new ThroughlineError('CONFLICT', 'This form was already submitted', { expression: 'Task.status' });
  const questionnaire = await questionnaireOf(deps, questionnaireOfTask(task));
  const { items, problems } = checkResponse(questionnaire, {
    item: request.answers.item,
    complete: request.answers.submit,
  });
  if (problems.length > 0)
    throw new ThroughlineError('INVALID_REQUEST', problems[0]!.message, { issues: problems });
  const draft = (await responsesTo(deps, { questionnaire, task: task.id })).find(
    (r) => r.status === 'in-progress',
  );
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    ...(draft ? { id: draft.id } : {}),
    questionnaire: canonicalOf(questionnaire),
    status: request.answers.submit ? 'completed' : 'in-progress',
    subject: { reference: `Patient/${deps.patient}` },
    authored: deps.now.toISOString(),
    author: { reference: `Patient/${deps.patient}` },
    source: { reference: `Patient/${deps.patient}` },
    item: items,
    ...taskContext(task),
  };
  // One response per Task: a second submit racing this one finds it instead of adding another.
  const saved = draft
    ? (await deps.own.update(response)).resource
    : (await deps.own.create(response, { ifNoneExist: `identifier=${FORM_TASK_SYSTEM}|${task.id}` }))
        .resource;
  if (request.answers.submit)
    await completeTask(deps, { task, response: saved as Stored<QuestionnaireResponse> });
  return saved;
}

/**
 * What the response keeps of its Task: the Task it answers (identifier), the Encounter, and the
 * Task's extensions — the context the clinic gave the form (a survey's visit, touchpoint and
 * channel), so the answer can be counted without its Task.
 */
function taskContext(task: Stored<Task>): Partial<QuestionnaireResponse> {
  return {
    identifier: { system: FORM_TASK_SYSTEM, value: task.id },
    ...(task.encounter ? { encounter: task.encounter } : {}),
    ...(task.extension ? { extension: task.extension } : {}),
  };
}

async function completeTask(
  deps: PortalFormDeps,
  done: { task: Stored<Task>; response: Stored<QuestionnaireResponse> },
) {
  await deps.service.update({
    ...done.task,
    status: 'completed',
    lastModified: deps.now.toISOString(),
    output: [
      {
        type: { coding: [{ system: SDC_TASK_SYSTEM, code: 'questionnaire-response' }] },
        valueReference: { reference: `QuestionnaireResponse/${done.response.id}` },
      },
    ],
  });
}

import type { Task } from '@medplum/fhirtypes';

/**
 * A form given to a patient to fill in is a `Task` (SDC "Questionnaire task",
 * http://hl7.org/fhir/uv/sdc/task.html): code `complete-questionnaire`, `for` the patient, the
 * Questionnaire's canonical URL as an input of type `questionnaire`; once answered, the
 * QuestionnaireResponse is its output and the Task is `completed`.
 */
export const SDC_TASK_SYSTEM = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';
export const COMPLETE_QUESTIONNAIRE = 'complete-questionnaire';

/** The Questionnaire canonical (`url|version`) a questionnaire Task asks to fill in. */
export function questionnaireOfTask(task: Task): string | undefined {
  return task.input?.find((input) =>
    input.type?.coding?.some((c) => c.system === SDC_TASK_SYSTEM && c.code === 'questionnaire'),
  )?.valueCanonical;
}

/** The Task's inputs naming the Questionnaire to fill in. */
export function questionnaireTaskInput(canonical: string): NonNullable<Task['input']> {
  return [
    { type: { coding: [{ system: SDC_TASK_SYSTEM, code: 'questionnaire' }] }, valueCanonical: canonical },
  ];
}

import type { Questionnaire, QuestionnaireItem, Task } from '@medplum/fhirtypes';
import { initialExpression, LAUNCH_CONTEXT_URL, queryVariable } from '../fhir/questionnaire-populate.ts';
import {
  COMPLETE_QUESTIONNAIRE,
  questionnaireTaskInput,
  SDC_TASK_SYSTEM,
} from '../fhir/questionnaire-task.ts';
import { emit, instant, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';

/** An item the portal fills from the record (SDC `initialExpression`, FHIRPath over the context). */
function prefilled(item: QuestionnaireItem, expression: string): QuestionnaireItem {
  return {
    ...item,
    extension: [initialExpression(expression)],
  };
}

const aboutYou: QuestionnaireItem = {
  linkId: 'about-you',
  type: 'group',
  text: 'About you',
  item: [
    prefilled(
      { linkId: 'name', type: 'string', text: 'Full name', required: true },
      "%patient.name.first().select(given.first() + ' ' + family)",
    ),
    prefilled(
      { linkId: 'birth-date', type: 'date', text: 'Date of birth', required: true },
      '%patient.birthDate',
    ),
    prefilled(
      { linkId: 'phone', type: 'string', text: 'Mobile phone' },
      "%patient.telecom.where(system = 'phone').first().value",
    ),
    prefilled(
      { linkId: 'email', type: 'string', text: 'Email' },
      "%patient.telecom.where(system = 'email').first().value",
    ),
    prefilled(
      { linkId: 'address', type: 'text', text: 'Home address' },
      "%patient.address.first().select(line.join(', ') + ', ' + city + ', ' + state + ' ' + postalCode)",
    ),
  ],
};

const yourHealth: QuestionnaireItem = {
  linkId: 'your-health',
  type: 'group',
  text: 'Your health',
  item: [
    prefilled(
      { linkId: 'medications', type: 'string', text: 'Medicines you take', repeats: true },
      '%medications.entry.resource.select(medicationCodeableConcept.text | medicationCodeableConcept.coding.display).first()',
    ),
    prefilled(
      { linkId: 'allergies', type: 'string', text: 'Allergies', repeats: true },
      '%allergies.entry.resource.select(code.text | code.coding.display).first()',
    ),
    {
      linkId: 'reason',
      type: 'text',
      text: 'What would you like to talk about at your visit?',
      required: true,
    },
    {
      linkId: 'energy',
      type: 'choice',
      text: 'How is your energy these days?',
      answerOption: ['Good', 'Tired some days', 'Tired most days'].map((valueString) => ({ valueString })),
    },
    { linkId: 'smoker', type: 'boolean', text: 'Do you smoke?', required: true },
    {
      linkId: 'cigarettes',
      type: 'integer',
      text: 'How many cigarettes a day?',
      required: true,
      enableWhen: [{ question: 'smoker', operator: '=', answerBoolean: true }],
    },
  ],
};

/**
 * The form patients fill in before a visit: the first fields prefilled from their record (the
 * SDC launch context `patient` and two queries), so nobody types their details again.
 */
export function preVisitQuestionnaire(ctx: ClinicContext): Stored<Questionnaire> {
  return emit<Questionnaire>(ctx, {
    resourceType: 'Questionnaire',
    url: 'https://riverside-family.example.org/fhir/Questionnaire/pre-visit',
    version: '1',
    name: 'RiversidePreVisit',
    title: 'Before your visit',
    status: 'active',
    subjectType: ['Patient'],
    extension: [
      {
        url: LAUNCH_CONTEXT_URL,
        extension: [
          {
            url: 'name',
            valueCoding: { system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext', code: 'patient' },
          },
          { url: 'type', valueCode: 'Patient' },
        ],
      },
      queryVariable('medications', 'MedicationRequest?patient={{%patient.id}}&status=active'),
      queryVariable('allergies', 'AllergyIntolerance?patient={{%patient.id}}'),
    ],
    item: [aboutYou, yourHealth],
  });
}

/** The clinic asks the patient to fill the pre-visit form in the portal (an SDC questionnaire Task). */
export function askForPreVisitForm(
  ctx: ClinicContext,
  { journey, form }: { journey: Journey; form: Stored<Questionnaire> },
): Stored<Task> {
  return emit<Task>(ctx, {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: {
      coding: [{ system: SDC_TASK_SYSTEM, code: COMPLETE_QUESTIONNAIRE, display: 'Complete questionnaire' }],
    },
    description: 'Please fill this in before your follow-up visit.',
    for: ref(journey.gp),
    authoredOn: instant(ctx, -1),
    requester: ref(journey.doctor),
    input: questionnaireTaskInput(`${form.url}|${form.version}`),
  });
}

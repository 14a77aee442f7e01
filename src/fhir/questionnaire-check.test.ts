import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Questionnaire } from '@medplum/fhirtypes';
import { checkResponse } from './questionnaire-check.ts';
import { initialExpression, populateResponseItems, queryVariable } from './questionnaire-populate.ts';

const form: Questionnaire = {
  resourceType: 'Questionnaire',
  status: 'active',
  extension: [queryVariable('allergies', 'AllergyIntolerance?patient={{%patient.id}}')],
  item: [
    {
      linkId: 'about',
      type: 'group',
      text: 'About you',
      item: [
        {
          linkId: 'name',
          type: 'string',
          text: 'Name',
          required: true,
          extension: [initialExpression('%patient.name.first().family')],
        },
        {
          linkId: 'allergies',
          type: 'string',
          text: 'Allergies',
          repeats: true,
          extension: [initialExpression('%allergies.entry.resource.code.text')],
        },
        { linkId: 'born', type: 'date', text: 'Born' },
      ],
    },
    { linkId: 'smoker', type: 'boolean', text: 'Do you smoke?', required: true },
    {
      linkId: 'per-day',
      type: 'integer',
      text: 'A day',
      required: true,
      enableWhen: [{ question: 'smoker', operator: '=', answerBoolean: true }],
    },
    {
      linkId: 'mood',
      type: 'choice',
      text: 'Mood',
      answerOption: [{ valueString: 'Good' }, { valueString: 'Low' }],
    },
  ],
};

test('prefill: initialExpressions over %patient and an x-fhir-query Bundle; repeats keep every value', () => {
  const items = populateResponseItems(form, {
    patient: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Okafor' }] },
    variables: {
      allergies: {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          {
            resource: {
              resourceType: 'AllergyIntolerance',
              patient: { reference: 'Patient/p1' },
              code: { text: 'Penicillin' },
            },
          },
          {
            resource: {
              resourceType: 'AllergyIntolerance',
              patient: { reference: 'Patient/p1' },
              code: { text: 'Latex' },
            },
          },
        ],
      } as never,
    },
  });
  assert.deepEqual(items, [
    {
      linkId: 'about',
      text: 'About you',
      item: [
        { linkId: 'name', text: 'Name', answer: [{ valueString: 'Okafor' }] },
        {
          linkId: 'allergies',
          text: 'Allergies',
          answer: [{ valueString: 'Penicillin' }, { valueString: 'Latex' }],
        },
      ],
    },
  ]);
});

test('a draft may leave required items empty; submitting may not, and names the item', () => {
  assert.deepEqual(checkResponse(form, { item: [], complete: false }).problems, []);
  const problems = checkResponse(form, { item: [], complete: true }).problems;
  assert.deepEqual(
    problems.map((p) => p.expression),
    ["QuestionnaireResponse.item.where(linkId='name')", "QuestionnaireResponse.item.where(linkId='smoker')"],
  );
});

test('enableWhen: a question shown only when its condition holds; answers to a hidden one are dropped', () => {
  const base = [{ linkId: 'about', item: [{ linkId: 'name', answer: [{ valueString: 'Maya' }] }] }];
  const smoker = checkResponse(form, {
    item: [...base, { linkId: 'smoker', answer: [{ valueBoolean: true }] }],
    complete: true,
  });
  assert.deepEqual(
    smoker.problems.map((p) => p.message),
    ['“A day” is required'],
  );
  const not = checkResponse(form, {
    item: [
      ...base,
      { linkId: 'smoker', answer: [{ valueBoolean: false }] },
      { linkId: 'per-day', answer: [{ valueInteger: 3 }] },
    ],
    complete: true,
  });
  assert.deepEqual(not.problems, []);
  assert.ok(!not.items.some((i) => i.linkId === 'per-day'), 'the hidden answer is removed');
});

test('wrong kinds of answers, options not offered, two answers to one question, unknown questions', () => {
  const { problems } = checkResponse(form, {
    item: [
      { linkId: 'about', item: [{ linkId: 'born', answer: [{ valueDate: '12/04/1988' }] }] },
      { linkId: 'smoker', answer: [{ valueString: 'yes' }] },
      { linkId: 'mood', answer: [{ valueString: 'Great' }, { valueString: 'Good' }] },
      { linkId: 'shoe-size', answer: [{ valueInteger: 38 }] },
    ],
    complete: false,
  });
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      'There is no question shoe-size',
      '“Born” expects a date (YYYY-MM-DD)',
      '“Do you smoke?” expects a boolean answer',
      '“Mood” takes one answer',
      '“Mood” is not one of the options',
    ],
  );
});

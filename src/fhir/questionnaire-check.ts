import type {
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireItemEnableWhen,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
} from '@medplum/fhirtypes';

/**
 * A QuestionnaireResponse checked against its Questionnaire (R4 Questionnaire rules: `type`,
 * `required`, `repeats`, `enableWhen` with `enableBehavior`, `answerOption`): what is wrong,
 * each with the FHIRPath of the item, and the items without what a disabled question held
 * (R4: "answers to disabled items SHALL be removed"). `complete` asks for every required item
 * that is enabled; a draft (`in-progress`) may leave them empty.
 */
export interface ResponseProblem {
  expression: string;
  message: string;
}

type Answers = Map<string, QuestionnaireResponseItemAnswer[]>;

/** Every answer by linkId, wherever the item sits (enableWhen may point across groups). */
function collectAnswers(items: QuestionnaireResponseItem[] | undefined, into: Answers = new Map()): Answers {
  for (const item of items ?? []) {
    if (item.answer?.length) into.set(item.linkId, [...(into.get(item.linkId) ?? []), ...item.answer]);
    collectAnswers(item.item, into);
  }
  return into;
}

/** The primitive an answer carries, for comparing (a Coding compares by its code). */
function primitiveOf(value: object): unknown {
  const entry = Object.entries(value).find(([key]) => key.startsWith('value') || key.startsWith('answer'));
  const v = entry?.[1] as unknown;
  return v && typeof v === 'object' ? (v as { code?: string }).code : v;
}

function holds(condition: QuestionnaireItemEnableWhen, answers: Answers): boolean {
  const given = answers.get(condition.question) ?? [];
  if (condition.operator === 'exists') return given.length > 0 === condition.answerBoolean;
  const expected = primitiveOf(condition) as string | number | boolean;
  return given.some((answer) => {
    const actual = primitiveOf(answer) as string | number | boolean;
    switch (condition.operator) {
      case '=':
        return actual === expected;
      case '!=':
        return actual !== expected;
      case '>':
        return actual > expected;
      case '<':
        return actual < expected;
      case '>=':
        return actual >= expected;
      default:
        return actual <= expected;
    }
  });
}

/** Whether an item is shown: no enableWhen, or its conditions hold (all, or any). */
export function isEnabled(item: QuestionnaireItem, answers: Answers): boolean {
  const conditions = item.enableWhen ?? [];
  if (conditions.length === 0) return true;
  return item.enableBehavior === 'any'
    ? conditions.some((c) => holds(c, answers))
    : conditions.every((c) => holds(c, answers));
}

const KEY_OF: Record<string, string[]> = {
  string: ['valueString'],
  text: ['valueString'],
  date: ['valueDate'],
  boolean: ['valueBoolean'],
  integer: ['valueInteger'],
  decimal: ['valueDecimal'],
  choice: ['valueCoding', 'valueString'],
};

/** A problem with one answer: the wrong kind of value, or not one of the options. */
function answerProblem(item: QuestionnaireItem, answer: QuestionnaireResponseItemAnswer): string | undefined {
  const keys = Object.keys(answer).filter((key) => key.startsWith('value'));
  const allowed = KEY_OF[item.type] ?? [];
  if (keys.length !== 1 || !allowed.includes(keys[0]!)) return `expects a ${item.type} answer`;
  if (item.type === 'date' && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(answer.valueDate ?? ''))
    return 'expects a date (YYYY-MM-DD)';
  if (item.type === 'choice' && item.answerOption?.length) {
    const chosen = primitiveOf(answer);
    if (!item.answerOption.some((o) => primitiveOf(o) === chosen)) return 'is not one of the options';
  }
  return undefined;
}

interface Walk {
  answers: Answers;
  complete: boolean;
  problems: ResponseProblem[];
}

const pathOf = (linkId: string) => `QuestionnaireResponse.item.where(linkId='${linkId}')`;

function checkItem(item: QuestionnaireItem, given: QuestionnaireResponseItem | undefined, walk: Walk) {
  const expression = pathOf(item.linkId);
  const answers = given?.answer ?? [];
  if (answers.length > 1 && !item.repeats)
    walk.problems.push({ expression, message: `“${item.text}” takes one answer` });
  for (const answer of answers) {
    const problem = answerProblem(item, answer);
    if (problem) walk.problems.push({ expression, message: `“${item.text}” ${problem}` });
  }
  if (walk.complete && item.required && item.type !== 'group' && answers.length === 0)
    walk.problems.push({ expression, message: `“${item.text}” is required` });
}

/** The enabled items with what was given for them; disabled ones (and their answers) dropped. */
function walkItems(
  items: QuestionnaireItem[] | undefined,
  given: QuestionnaireResponseItem[] | undefined,
  walk: Walk,
): QuestionnaireResponseItem[] {
  const byId = new Map((given ?? []).map((each) => [each.linkId, each]));
  for (const each of given ?? [])
    if (!(items ?? []).some((item) => item.linkId === each.linkId))
      walk.problems.push({ expression: pathOf(each.linkId), message: `There is no question ${each.linkId}` });
  return (items ?? []).flatMap((item): QuestionnaireResponseItem[] => {
    if (!isEnabled(item, walk.answers)) return [];
    const answered = byId.get(item.linkId);
    checkItem(item, answered, walk);
    const children = item.type === 'group' ? walkItems(item.item, answered?.item, walk) : [];
    if (item.type === 'group')
      return children.length ? [{ linkId: item.linkId, text: item.text, item: children }] : [];
    return answered?.answer?.length
      ? [{ linkId: item.linkId, text: item.text, answer: answered.answer }]
      : [];
  });
}

export function checkResponse(
  questionnaire: Questionnaire,
  response: { item?: QuestionnaireResponseItem[]; complete: boolean },
): { items: QuestionnaireResponseItem[]; problems: ResponseProblem[] } {
  const walk: Walk = { answers: collectAnswers(response.item), complete: response.complete, problems: [] };
  const items = walkItems(questionnaire.item, response.item, walk);
  return { items, problems: walk.problems };
}

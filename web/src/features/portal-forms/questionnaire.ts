/**
 * The parts of FHIR R4 `Questionnaire` and `QuestionnaireResponse` the portal's form renders,
 * and the answers kept while she fills it in (by linkId, wherever the item sits). The server
 * checks the same rules again (`src/fhir/questionnaire-check.ts`) and has the last word.
 */
export interface Answer {
  valueString?: string;
  valueDate?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueCoding?: { system?: string; code?: string; display?: string };
}

export interface EnableWhen extends Partial<Record<`answer${string}`, unknown>> {
  question: string;
  operator: 'exists' | '=' | '!=' | '>' | '<' | '>=' | '<=';
}

export interface Item {
  linkId: string;
  type: string;
  text?: string;
  required?: boolean;
  repeats?: boolean;
  enableWhen?: EnableWhen[];
  enableBehavior?: 'all' | 'any';
  answerOption?: Answer[];
  item?: Item[];
}

export interface Questionnaire {
  title?: string;
  item?: Item[];
}

export interface ResponseItem {
  linkId: string;
  text?: string;
  answer?: Answer[];
  item?: ResponseItem[];
}

export interface QuestionnaireResponse {
  id?: string;
  status: string;
  authored?: string;
  item?: ResponseItem[];
}

export type Answers = Record<string, Answer[]>;

/** Every answer of a response by linkId: the form's state. */
export function answersOf(items: ResponseItem[] | undefined, into: Answers = {}): Answers {
  for (const item of items ?? []) {
    if (item.answer?.length) into[item.linkId] = item.answer;
    answersOf(item.item, into);
  }
  return into;
}

/** What an answer carries, to compare (a Coding by its code). */
export function primitiveOf(value: object): unknown {
  const entry = Object.entries(value).find(([key]) => key.startsWith('value') || key.startsWith('answer'));
  const v = entry?.[1] as unknown;
  return v && typeof v === 'object' ? (v as { code?: string }).code : v;
}

function holds(condition: EnableWhen, answers: Answers): boolean {
  const given = answers[condition.question] ?? [];
  if (condition.operator === 'exists') return given.length > 0 === condition.answerBoolean;
  const expected = primitiveOf(condition) as number;
  const compare: Record<EnableWhen['operator'], (a: number) => boolean> = {
    exists: () => false,
    '=': (a) => a === expected,
    '!=': (a) => a !== expected,
    '>': (a) => a > expected,
    '<': (a) => a < expected,
    '>=': (a) => a >= expected,
    '<=': (a) => a <= expected,
  };
  return given.some((answer) => compare[condition.operator](primitiveOf(answer) as number));
}

/** Shown when it has no enableWhen, or its conditions hold (all of them, or any). */
export function isEnabled(item: Item, answers: Answers): boolean {
  const conditions = item.enableWhen ?? [];
  if (conditions.length === 0) return true;
  return item.enableBehavior === 'any'
    ? conditions.some((c) => holds(c, answers))
    : conditions.every((c) => holds(c, answers));
}

/** The response items to send: the form's structure, enabled items with an answer only. */
export function responseItems(items: Item[] | undefined, answers: Answers): ResponseItem[] {
  return (items ?? []).flatMap((item): ResponseItem[] => {
    if (!isEnabled(item, answers)) return [];
    if (item.type === 'group') {
      const children = responseItems(item.item, answers);
      return children.length ? [{ linkId: item.linkId, item: children }] : [];
    }
    const given = (answers[item.linkId] ?? []).filter(
      (a) => primitiveOf(a) !== '' && primitiveOf(a) !== undefined,
    );
    return given.length ? [{ linkId: item.linkId, answer: given }] : [];
  });
}

/** Required questions shown and left empty, by linkId (to say so beside each). */
export function missingRequired(items: Item[] | undefined, answers: Answers): string[] {
  return (items ?? []).flatMap((item): string[] => {
    if (!isEnabled(item, answers)) return [];
    if (item.type === 'group') return missingRequired(item.item, answers);
    const given = (answers[item.linkId] ?? []).filter(
      (a) => primitiveOf(a) !== '' && primitiveOf(a) !== undefined,
    );
    return item.required && given.length === 0 ? [item.linkId] : [];
  });
}

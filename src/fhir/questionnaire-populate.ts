import { evalFhirPathTyped, parseFhirPath, toTypedValue, type TypedValue } from '@medplum/core';
import type {
  Extension,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
  Resource,
} from '@medplum/fhirtypes';
import { loadFhirDefinitions } from './definitions.ts';

/**
 * Prefilling a QuestionnaireResponse from what is already known, the SDC way ("Structured Data
 * Capture", expression-based population, http://hl7.org/fhir/uv/sdc/populate.html): the
 * Questionnaire declares its launch context (`%patient`), `variable`s fetched by
 * `application/x-fhir-query`, and per item an `initialExpression` in FHIRPath over them. Pure:
 * the caller runs the queries (through its own scoped store) and hands the results in.
 */
export const SDC_EXTENSION = 'http://hl7.org/fhir/uv/sdc/StructureDefinition';
export const INITIAL_EXPRESSION_URL = `${SDC_EXTENSION}/sdc-questionnaire-initialExpression`;
export const LAUNCH_CONTEXT_URL = `${SDC_EXTENSION}/sdc-questionnaire-launchContext`;
export const VARIABLE_URL = 'http://hl7.org/fhir/StructureDefinition/variable';

/** An SDC `variable`: `%name` is the Bundle an `application/x-fhir-query` search returns. */
export const queryVariable = (name: string, query: string): Extension => ({
  url: VARIABLE_URL,
  valueExpression: { name, language: 'application/x-fhir-query', expression: query },
});

/** An SDC `initialExpression`: FHIRPath whose value prefills the item. */
export const initialExpression = (fhirpath: string): Extension => ({
  url: INITIAL_EXPRESSION_URL,
  valueExpression: { language: 'text/fhirpath', expression: fhirpath },
});

/** A query variable: its name and the FHIR search it runs (`Type?param=value`). */
export interface QueryVariable {
  name: string;
  query: string;
}

/** The `application/x-fhir-query` variables, `{{%patient.id}}` replaced by the patient's id. */
export function queryVariables(questionnaire: Questionnaire, patientId: string): QueryVariable[] {
  return (questionnaire.extension ?? []).flatMap((extension) => {
    const expression = extension.url === VARIABLE_URL ? extension.valueExpression : undefined;
    if (expression?.language !== 'application/x-fhir-query' || !expression.name || !expression.expression)
      return [];
    const query = expression.expression.replaceAll('{{%patient.id}}', encodeURIComponent(patientId));
    return [{ name: expression.name, query }];
  });
}

/** The answers of one item from the value its expression gave, as the item's type wants them. */
function answerOf(item: QuestionnaireItem, value: TypedValue): QuestionnaireResponseItemAnswer | undefined {
  const v = value.value as unknown;
  if (v === undefined || v === null || v === '') return undefined;
  switch (item.type) {
    case 'boolean':
      return typeof v === 'boolean' ? { valueBoolean: v } : undefined;
    case 'integer':
      return Number.isInteger(v) ? { valueInteger: v as number } : undefined;
    case 'date':
      return typeof v === 'string' ? { valueDate: v.slice(0, 10) } : undefined;
    case 'choice':
      return choiceAnswer(item, v);
    default:
      return typeof v === 'string' || typeof v === 'number' ? { valueString: String(v) } : undefined;
  }
}

/** A choice answer is one of the item's options (a string or a coding's code). */
function choiceAnswer(item: QuestionnaireItem, v: unknown): QuestionnaireResponseItemAnswer | undefined {
  const code = typeof v === 'string' ? v : (v as { code?: string }).code;
  const option = item.answerOption?.find((o) => o.valueString === code || o.valueCoding?.code === code);
  if (option?.valueCoding) return { valueCoding: option.valueCoding };
  return option?.valueString ? { valueString: option.valueString } : undefined;
}

function initialExpressionOf(item: QuestionnaireItem): string | undefined {
  const extension = item.extension?.find((e) => e.url === INITIAL_EXPRESSION_URL);
  return extension?.valueExpression?.language === 'text/fhirpath'
    ? extension.valueExpression.expression
    : undefined;
}

/** The values an item starts with: its `initialExpression`, else its fixed `initial`. */
function initialAnswers(item: QuestionnaireItem, variables: Record<string, TypedValue>) {
  const expression = initialExpressionOf(item);
  if (!expression) return (item.initial ?? []) as QuestionnaireResponseItemAnswer[];
  let values: TypedValue[];
  try {
    values = evalFhirPathTyped(parseFhirPath(expression), [], variables);
  } catch {
    // A form whose expression cannot run is still a form: that field simply starts empty.
    return [];
  }
  const answers = values.flatMap((value) => answerOf(item, value) ?? []);
  return item.repeats ? answers : answers.slice(0, 1);
}

function populate(
  items: QuestionnaireItem[] | undefined,
  variables: Record<string, TypedValue>,
): QuestionnaireResponseItem[] {
  return (items ?? []).flatMap((item): QuestionnaireResponseItem[] => {
    if (item.type === 'group') {
      const children = populate(item.item, variables);
      return children.length > 0 ? [{ linkId: item.linkId, text: item.text, item: children }] : [];
    }
    const answer = initialAnswers(item, variables);
    return answer.length > 0 ? [{ linkId: item.linkId, text: item.text, answer }] : [];
  });
}

/**
 * The response items the Questionnaire's expressions fill from the context: `patient` (her
 * Patient) and each query variable's Bundle by name. Only answered items (and the groups
 * holding them) are returned; a variable the caller did not supply is an empty Bundle.
 */
export function populateResponseItems(
  questionnaire: Questionnaire,
  context: { patient: Resource; variables: Record<string, Resource> },
): QuestionnaireResponseItem[] {
  loadFhirDefinitions();
  const variables: Record<string, TypedValue> = { '%patient': toTypedValue(context.patient) };
  for (const { name } of queryVariables(questionnaire, context.patient.id ?? ''))
    variables[`%${name}`] = toTypedValue(
      context.variables[name] ?? { resourceType: 'Bundle', type: 'searchset', entry: [] },
    );
  return populate(questionnaire.item, variables);
}

/**
 * The automation-rule profile of PlanDefinition (see src/automation/README.md): codes and
 * URLs the rules and their run log use. DESIGN rule 1: rules and runs are FHIR resources.
 */
const base = 'https://throughline.dev/fhir';

export const RULE_PROFILE = `${base}/StructureDefinition/automation-rule`;
/** PlanDefinition.type: an Event-Condition-Action rule (R4 plan-definition-type). */
export const PLAN_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/plan-definition-type';
export const ECA_RULE = 'eca-rule';
/** PlanDefinition.action.action.code: what a step does. */
export const ACTION_SYSTEM = `${base}/CodeSystem/automation-action`;
/** GuidanceResponse.identifier: one run, `{rule id}/{rule version}/{event id}`. */
export const RUN_KEY_SYSTEM = `${base}/automation/run`;
/** GuidanceResponse.identifier: the rule a run belongs to (its id), to list runs per rule. */
export const RUN_RULE_SYSTEM = `${base}/automation/rule`;
/** GuidanceResponse.identifier of a dry run someone looked at: the rule content's hash. */
export const DRY_RUN_SYSTEM = `${base}/automation/dry-run`;
/** Identifier on what an action created: `{run key}/{action index}` (exactly-once effects). */
export const EFFECT_KEY_SYSTEM = `${base}/automation/effect`;
/** GuidanceResponse extension, repeated: one action's outcome. */
export const ACTION_OUTCOME_URL = `${base}/StructureDefinition/automation-action-outcome`;
/** GuidanceResponse.requestIdentifier system: the triggering event (`Type/id/_history/v`). */
export const EVENT_SYSTEM = `${base}/automation/event`;
/** PlanDefinition/meta.tag on the built-in recipes. */
export const RECIPE_TAG = { system: `${base}/CodeSystem/automation-recipe`, code: 'recipe' };

export const ACTION_TYPES = [
  'send',
  'task',
  'update',
  'wait',
  'hl7-send',
  'webhook',
  'branch',
  'extract',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** The store's changes, and `scheduled`: a cohort member met by a schedule's occurrence. */
export type ChangeKind = 'create' | 'update' | 'delete' | 'scheduled';

/** TriggerDefinition `periodic`: `timingTiming` carries the RRULE in this extension (valueString). */
export const SCHEDULE_URL = `${base}/StructureDefinition/automation-schedule`;
/** TriggerDefinition extension (valueString): the cohort an occurrence runs over, a search `Type?params`. */
export const COHORT_URL = `${base}/StructureDefinition/automation-cohort`;

/** TriggerDefinition.type → the store actions it listens to. */
export const TRIGGER_TYPES: Record<string, ChangeKind[]> = {
  'data-added': ['create'],
  'data-modified': ['update'],
  'data-removed': ['delete'],
  'data-changed': ['create', 'update', 'delete'],
};

/**
 * TriggerDefinition `named-event` names: an inbound message as a change of the record it is.
 * `patient-reply`: a Communication received from a patient (engagement records every inbound
 * SMS/WhatsApp/email reply so, `sender` the patient); a keyword is the trigger's own condition
 * over `%resource.payload.contentString`.
 */
export const NAMED_EVENTS: Record<string, { resourceType: string; on: ChangeKind[]; expression: string }> = {
  'patient-reply': {
    resourceType: 'Communication',
    on: ['create'],
    expression: "%resource.sender.reference.startsWith('Patient/')",
  },
};

/** The variables every rule expression may use. */
export const RULE_VARIABLES = ['%resource', '%previous', '%event'] as const;
export const RULE_TYPE_TOKEN = `${PLAN_TYPE_SYSTEM}|${ECA_RULE}`;

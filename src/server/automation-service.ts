import type { Bundle, Consent } from '@medplum/fhirtypes';
import { scopeRepository, servicePrincipal, type HoldSetting } from '../access/index.ts';
import {
  fireDueSchedules,
  matchRulesOnChange,
  RuleCache,
  runOccurrenceJobs,
  runRuleJobs,
  sendRuleMessage,
  type AutomationDeps,
  type ConsentVerdict,
  type Hl7OutDeps,
  type RuleOutreachOrder,
  type WebhookPolicy,
} from '../automation/index.ts';
import {
  CHANNELS,
  evaluateConsent,
  outreachRequester,
  PURPOSES,
  type Channel,
  type Purpose,
} from '../engagement/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EventHandler, FhirRepository, JobHandler, SqlDatabase } from '../store/index.ts';
import { hl7OutService, subscriptionHosts, type ConnectorDeps } from './connectors-service.ts';
import type { Config } from '../kernel/config.ts';
import { noticeDueAt, resultHoldSetting } from './result-hold-setting.ts';

export const automationPrincipal = servicePrincipal({
  id: 'automation-service',
  display: 'Automation rules',
});

/**
 * Automation's ports, composed here (no capability imports another): the store as the
 * automation principal (audited like anyone), engagement's outreach order for `send`, and
 * engagement's consent answer for the dry run, and the outbound HL7 connector for `hl7-send`.
 */
export function automationService(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  clock: Clock;
  hl7?: Hl7OutDeps;
  webhooks?: WebhookPolicy;
  /** The clinic's zone, in which schedules are read (`CLINIC_TIME_ZONE`). */
  timeZone?: string;
  /** Where extract actions write (`AUTOMATION_EXTRACT_DIR`). */
  extractRoot?: string;
  /** The clinic's hold on results: a results-ready notice waits for the hold to end. */
  resultHold?: HoldSetting;
}): AutomationDeps {
  const { hl7, webhooks } = deps;
  const scoped = scopeRepository(deps.repository, {
    principal: automationPrincipal,
    context: { requestId: 'automation' },
    auditDb: deps.db,
  });
  return {
    repository: scoped,
    db: deps.db,
    clock: deps.clock,
    requestOutreach: outreachPort(scoped, { clock: deps.clock, resultHold: deps.resultHold }),
    consentFor: consentPort(scoped, deps.clock),
    ...(hl7 ? { sendHl7: (order) => sendRuleMessage(hl7, order) } : {}),
    ...(webhooks ? { webhooks } : {}),
    ...(deps.timeZone ? { timeZone: deps.timeZone } : {}),
    ...(deps.extractRoot ? { extractRoot: deps.extractRoot } : {}),
  };
}

/**
 * The rules' event subscriber, run and occurrence jobs, and the schedules' tick, for the
 * background worker; hl7-send goes through the HL7 connector. One rule cache serves both the
 * subscriber (which refreshes it when a PlanDefinition is written) and the tick.
 */
export function automationReactions(deps: ConnectorDeps): {
  events: EventHandler[];
  jobs: JobHandler[];
  tick(): Promise<number>;
} {
  const automation = automationService({
    ...deps,
    hl7: hl7OutService(deps),
    webhooks: webhookPolicy(deps.config),
    timeZone: deps.config.clinicTimeZone,
    resultHold: resultHoldSetting(deps),
    ...(deps.config.automationExtractDir ? { extractRoot: deps.config.automationExtractDir } : {}),
  });
  const cache = new RuleCache(automation.repository);
  const memory = new Map<string, number>();
  return {
    events: [matchRulesOnChange(automation, cache)],
    jobs: [runRuleJobs(automation), runOccurrenceJobs(automation)],
    tick: () => fireDueSchedules(automation, { cache, memory }),
  };
}

/** Rule webhooks: the Subscriptions' allowed hosts and timeout, their own signing key. */
export function webhookPolicy(config: Config): WebhookPolicy {
  return {
    hosts: subscriptionHosts(config),
    timeoutMs: config.subscriptionTimeoutSeconds * 1000,
    retryBaseMs: config.subscriptionRetryBaseSeconds * 1000,
    ...(config.automationWebhookSecret ? { secret: config.automationWebhookSecret } : {}),
  };
}

/** A caller's view of the same ports (a dry run reads what the caller may read). */
export function automationFor(caller: {
  repository: FhirRepository;
  db: SqlDatabase;
  clock: Clock;
  timeZone?: string;
  extractRoot?: string;
}): AutomationDeps {
  return {
    ...caller,
    requestOutreach: outreachPort(caller.repository, { clock: caller.clock }),
    consentFor: consentPort(caller.repository, caller.clock),
  };
}

function outreachPort(
  repository: FhirRepository,
  options: { clock: Clock; resultHold?: HoldSetting | undefined },
): AutomationDeps['requestOutreach'] {
  const { clock, resultHold } = options;
  const requestOutreach = outreachRequester(repository, clock);
  return async (order: RuleOutreachOrder) => {
    if (!PURPOSES.includes(order.purpose as Purpose))
      throw new Error(`purpose "${order.purpose}" is not one of ${PURPOSES.join(', ')}`);
    if (order.channel && !CHANNELS.includes(order.channel as Channel))
      throw new Error(`channel "${order.channel}" is not one of ${CHANNELS.join(', ')}`);
    // A results-ready notice about a held result goes when she can see it, not before.
    const dueAt =
      order.purpose === 'results-ready' && resultHold && order.about
        ? await noticeDueAt(repository, { about: order.about, setting: resultHold })
        : undefined;
    return requestOutreach({
      ...order,
      ...(dueAt ? { dueAt } : {}),
      purpose: order.purpose as Purpose,
      channel: order.channel as Channel | undefined,
    });
  };
}

/** Permitted when any channel is: engagement picks the channel at the moment of sending. */
function consentPort(repository: FhirRepository, clock: Clock): NonNullable<AutomationDeps['consentFor']> {
  return async (patient, purpose): Promise<ConsentVerdict> => {
    if (!PURPOSES.includes(purpose as Purpose))
      return { permitted: false, reason: `unknown purpose ${purpose}` };
    const bundle: Bundle = await repository.search({
      resourceType: 'Consent',
      params: [
        ['patient', patient],
        ['status', 'active'],
        ['_count', '500'],
      ],
    });
    const consents = (bundle.entry ?? []).map((entry) => entry.resource as Consent);
    const answers = CHANNELS.map((channel) =>
      evaluateConsent({ channel, purpose: purpose as Purpose, consents, now: clock.now() }),
    );
    return answers.find((a) => a.permitted) ?? answers[0] ?? { permitted: false, reason: 'no channel' };
  };
}

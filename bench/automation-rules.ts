// Rule evaluation speed (issue 17: ≥ 2,000 events/s per core with 50 active rules). Each event
// meets the rules as the live subscriber does: the rules watching its type and change, then
// the trigger FHIRPath and the conditions over the version written and the one before it.
// In memory, on one core: the reads of the two versions are the store's (bench/fhir-store.ts).
// `npx node bench/automation-rules.ts [events=20000]`
import { performance } from 'node:perf_hooks';
import type { Resource } from '@medplum/fhirtypes';
import { evaluateRule, loadRecipes, parseRule, type Rule, type RuleEvent } from '../src/automation/index.ts';
import { ruleOf, step } from '../src/automation/testing/rule-builder.ts';

const send = (purpose: string) => step('send', { purpose: `'${purpose}'` });

/** 50 rules: the 3 recipes and 47 of their shapes on five resource types, each a little different. */
function fiftyRules(): Rule[] {
  const plans = [...loadRecipes()];
  for (let n = 0; plans.length < 50; n++) {
    const shapes = [
      ruleOf({
        title: `lab ${n}`,
        resourceType: 'DiagnosticReport',
        when: "%resource.status = 'final' and (%previous.empty() or %previous.status != 'final')",
        conditions: [`%resource.code.coding.code contains 'L${n}'`],
        actions: [send('results-ready')],
      }),
      ruleOf({
        title: `bp ${n}`,
        resourceType: 'Observation',
        when: `%resource.valueQuantity.value > ${130 + n}`,
        conditions: ["%resource.status = 'final'"],
        actions: [step('task', { description: "'High reading'" })],
      }),
      ruleOf({
        title: `booked ${n}`,
        resourceType: 'Appointment',
        when: "%resource.status = 'booked' and %previous.status != 'booked'",
        conditions: [`%resource.serviceType.coding.code contains 'S${n}'`],
        actions: [send('appointment-reminder')],
      }),
      ruleOf({
        title: `phone ${n}`,
        resourceType: 'Patient',
        on: 'data-modified',
        when: "%resource.telecom.where(system = 'phone').value != %previous.telecom.where(system = 'phone').value",
        actions: [send('survey')],
      }),
      ruleOf({
        title: `gap ${n}`,
        resourceType: 'Task',
        on: 'data-added',
        when: `%resource.performerType.coding.where(code = 'care-gaps').exists()`,
        conditions: [`%resource.code.text = 'gap ${n}'`],
        actions: [send('care-gap')],
      }),
    ];
    plans.push(shapes[n % shapes.length]!);
  }
  return plans.map((plan, i) => ({ ...parseRule({ ...plan, id: plan.id ?? `r${i}` }), version: '1' }));
}

/** A write and the version before it, of each type the rules watch. */
function write(n: number): { resource: Resource; previous: Resource; event: RuleEvent } {
  const kinds: [Resource, Resource][] = [
    [
      {
        resourceType: 'DiagnosticReport',
        status: 'final',
        code: { coding: [{ code: `L${n % 13}` }] },
      } as Resource,
      { resourceType: 'DiagnosticReport', status: 'preliminary' } as Resource,
    ],
    [
      { resourceType: 'Observation', status: 'final', valueQuantity: { value: 120 + (n % 40) } } as Resource,
      { resourceType: 'Observation', status: 'final' } as Resource,
    ],
    [
      {
        resourceType: 'Appointment',
        status: 'booked',
        serviceType: [{ coding: [{ code: `S${n % 11}` }] }],
      } as Resource,
      { resourceType: 'Appointment', status: 'proposed' } as Resource,
    ],
    [
      { resourceType: 'Patient', telecom: [{ system: 'phone', value: `555-${n}` }] } as Resource,
      { resourceType: 'Patient', telecom: [{ system: 'phone', value: '555-0' }] } as Resource,
    ],
    [
      {
        resourceType: 'Task',
        status: 'requested',
        code: { text: `gap ${n % 9}` },
        performerType: [{ coding: [{ code: 'care-gaps' }] }],
      } as Resource,
      undefined as unknown as Resource,
    ],
  ];
  const [resource, previous] = kinds[n % kinds.length]!;
  const action = previous ? 'update' : 'create';
  return {
    resource,
    previous,
    event: { resourceType: resource.resourceType, id: String(n), versionId: '2', action, occurredAt: '' },
  };
}

const rules = fiftyRules();
const count = Number(process.argv[2] ?? 20_000);
const writes = Array.from({ length: count }, (_, n) => write(n));
let matched = 0;
const run = () => {
  for (const { resource, previous, event } of writes)
    for (const rule of rules)
      if (rule.triggers.some((t) => t.resourceType === event.resourceType && t.on.includes(event.action)))
        matched += evaluateRule(rule, { resource, previous, event }).matched ? 1 : 0;
};
run(); // warm-up: parse and JIT
matched = 0;
const start = performance.now();
run();
const seconds = (performance.now() - start) / 1000;
console.log(`automation rules: ${rules.length} active rules, ${count} events (5 resource types), one core`);
console.log(
  `  evaluation: ${Math.round(count / seconds).toLocaleString('en')} events/s (${matched} rule matches)`,
);

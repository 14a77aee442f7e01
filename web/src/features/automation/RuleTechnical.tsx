import { exactTime } from './clinic-time.ts';
import { codeOf, type PlanStep } from './plan-facts.ts';
import { Fact, TechnicalDetail } from './parts.tsx';
import { scheduleOf } from './trigger-words.ts';
import { stepsOf, type RulePlan } from './use-automation.ts';

/** A step as its author wrote it: code, title, and each value's FHIRPath. */
function stepLine(step: PlanStep, index: number): string {
  const values = (step.dynamicValue ?? []).map((v) => `${v.path} = ${v.expression?.expression ?? ''}`);
  const wait = step.timingDuration ? [`${step.timingDuration.value} ${step.timingDuration.code ?? ''}`] : [];
  const stops = (step.condition ?? []).map((c) => `${c.kind}: ${c.expression?.expression ?? ''}`);
  const title = step.title ? ` "${step.title}"` : '';
  return `${index + 1}. ${codeOf(step)}${title} ${[...values, ...wait, ...stops].join('; ')}`;
}

/**
 * The rule as the engine reads it — triggers, FHIRPath conditions, each step's code and values,
 * the version — closed under "Technical detail", for whoever writes or debugs rules.
 */
export function RuleTechnical({ plan, zone }: { plan: RulePlan; zone?: string }) {
  const top = plan.action?.[0];
  return (
    <TechnicalDetail label="Technical detail of this rule">
      <Fact name="Rule">{`PlanDefinition/${plan.id}/_history/${plan.meta?.versionId ?? '?'}`}</Fact>
      <Fact name="Changed">{exactTime(plan.meta?.lastUpdated, zone)}</Fact>
      {(top?.trigger ?? []).map((trigger, i) => {
        const schedule = scheduleOf(trigger);
        const parts = [
          trigger.type,
          trigger.name,
          trigger.data?.[0]?.type,
          schedule.rule && `RRULE ${schedule.rule}`,
          schedule.cohort && `cohort ${schedule.cohort}`,
          trigger.condition?.expression && `when ${trigger.condition.expression}`,
        ];
        return (
          <Fact key={`trigger-${i}`} name="Trigger">
            {parts.filter(Boolean).join(' · ')}
          </Fact>
        );
      })}
      {(top?.condition ?? []).map((condition, i) => (
        <Fact key={`condition-${i}`} name="Condition">
          {condition.expression?.expression ?? ''}
        </Fact>
      ))}
      {stepsOf(plan).map((step, i) => (
        <Fact key={`step-${i}`} name="Step">
          {stepLine(step, i)}
        </Fact>
      ))}
    </TechnicalDetail>
  );
}

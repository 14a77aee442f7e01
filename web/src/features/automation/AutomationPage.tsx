import { Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { DryRunPanel } from './DryRunPanel.tsx';
import { RulesTable } from './RulesTable.tsx';
import { RuleTechnical } from './RuleTechnical.tsx';
import { RunsTable } from './RunsTable.tsx';
import { stepsInWords } from './step-words.ts';
import { ruleTitle, stepsOf, useRules, type RulePlan } from './use-automation.ts';

function RuleDetail({ plan, zone }: { plan: RulePlan; zone?: string }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={`Rule: ${ruleTitle(plan)}`}>
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h4">
            {ruleTitle(plan)}
          </Title>
          <Text size="sm">{stepsInWords(stepsOf(plan))}</Text>
          <RuleTechnical plan={plan} zone={zone} />
        </Stack>
        <DryRunPanel key={`${plan.id}/${plan.meta?.versionId ?? ''}`} plan={plan} zone={zone} />
        <Title order={3} size="h5">
          Runs
        </Title>
        <RunsTable plan={plan} zone={zone} />
      </Stack>
    </Paper>
  );
}

/**
 * Automation (practice managers, integration): the rules, what each did (its runs, every
 * action's outcome, the reason a run failed), a dry run of a rule, and activation after it.
 * Every call is decided by the server (`automation-rules`).
 */
export default function AutomationPage() {
  const rules = useRules();
  const [selected, setSelected] = useState<string>();
  const plan = rules.data?.rules.find((rule) => rule.id === selected);
  return (
    <>
      <PageHeader
        title="Automation"
        description="Rules that act on changes and schedules: what they did, and what they would do."
      />
      <Stack gap="lg">
        <QueryState
          query={rules}
          height={200}
          isEmpty={(data) => data.rules.length === 0}
          empty="No rules yet. The built-in recipes are installed on the demo clinic."
        >
          {(data) => (
            <RulesTable rules={data.rules} selected={selected} zone={data.timeZone} onSelect={setSelected} />
          )}
        </QueryState>
        {plan && <RuleDetail plan={plan} zone={rules.data?.timeZone} />}
      </Stack>
    </>
  );
}

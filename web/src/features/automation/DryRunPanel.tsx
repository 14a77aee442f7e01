import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { typeLabel } from '../../shared/fhir/describe.ts';
import { clinicTime } from './clinic-time.ts';
import { dryRunRefusal } from './dry-run-words.ts';
import { Fact, TechnicalDetail } from './parts.tsx';
import { ItemList } from './DryRunItems.tsx';
import {
  conditionsOf,
  DRY_RUN_DAYS,
  useActivate,
  useDryRun,
  type DryRunReport,
  type RulePlan,
} from './use-automation.ts';

function Report({ report, plan, zone }: { report: DryRunReport; plan: RulePlan; zone?: string }) {
  const next = report.schedule?.next[0];
  const conditions = conditionsOf(plan);
  return (
    <Stack gap="sm" role="region" aria-label="Dry run result">
      <Text size="sm" data-testid="dry-run-summary">
        {`${report.wouldAct.length} would act, ${report.stopped.length} stopped, of ${report.eventsExamined} changes examined since ${clinicTime(report.since, { zone })}. Nothing was sent or changed.`}
      </Text>
      {next && (
        <Text size="sm">{`Next scheduled run: ${clinicTime(next.at, { zone: report.schedule?.zone ?? zone })}; ${report.schedule?.cohortSize ?? 0} records in its list today.`}</Text>
      )}
      <ItemList title="Would act" items={report.wouldAct} conditions={conditions} />
      <ItemList title="Stopped" items={report.stopped} conditions={conditions} />
    </Stack>
  );
}

/**
 * The dry run of a stored rule over the last 30 days (nothing acted on), and — for a draft —
 * activation, which the server allows only once a dry run of exactly this rule was looked at.
 */
export function DryRunPanel({ plan, zone }: { plan: RulePlan; zone?: string }) {
  const dryRun = useDryRun(plan.id);
  const activate = useActivate();
  const canActivate = plan.status === 'draft' && dryRun.isSuccess;
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button variant="light" loading={dryRun.isPending} onClick={() => dryRun.mutate()}>
          {`Dry run (last ${DRY_RUN_DAYS} days)`}
        </Button>
        {plan.status === 'draft' && (
          <Button disabled={!canActivate} loading={activate.isPending} onClick={() => activate.mutate(plan)}>
            Activate
          </Button>
        )}
        {plan.status === 'draft' && !dryRun.isSuccess && (
          <Text size="xs" c="dimmed">
            A draft is activated after its dry run has been looked at.
          </Text>
        )}
      </Group>
      {dryRun.error && (
        <Alert color="red" title="The dry run failed" role="alert">
          {dryRunRefusal(dryRun.error.message, typeLabel)}
          <TechnicalDetail>
            <Fact name="Server">{dryRun.error.message}</Fact>
          </TechnicalDetail>
        </Alert>
      )}
      {activate.error && (
        <Alert color="red" title="Not activated" role="alert">
          {activate.error.message}
        </Alert>
      )}
      {dryRun.data && <Report report={dryRun.data} plan={plan} zone={zone} />}
    </Stack>
  );
}

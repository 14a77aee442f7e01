import { Anchor, Badge, Card, Group, List, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Link } from 'wouter';
import { signalRuleTitle } from '../../shared/fhir/code-words.ts';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { Funnel } from './Funnel.tsx';
import { StageMembers } from './StageMembers.tsx';
import { useClinics, useCohort, useJourneys, useSignalRules, type Cohort } from './use-cohort.ts';

const PERIODS = [
  { value: 'all', label: 'All time' },
  { value: '365', label: 'Started in the last year' },
  { value: '90', label: 'Started in the last 90 days' },
];

const CHANNELS = [
  { value: '', label: 'Any channel' },
  { value: 'sms', label: 'SMS' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
];

function Stat({ label: name, value, hint }: { label: string; value: string | number; hint?: ReactNode }) {
  return (
    <Card padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {name}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

/**
 * The map counts the gaps of the people on this journey (and in the filters); the Care gaps
 * worklist holds every patient's, so the two numbers differ and the card says why.
 */
const careGapsHint = (
  <>
    Of the patients on this journey.{' '}
    <Anchor component={Link} href="/worklists/care-gaps" size="xs" underline="always">
      Every patient's
    </Anchor>
  </>
);

function PainPoints({ cohort }: { cohort: Cohort }) {
  const rules = useSignalRules();
  const entries = Object.entries(cohort.painPoints).sort((a, b) => b[1] - a[1]);
  return (
    <Card>
      <Title order={2} size="h4" mb="sm">
        Pain points
      </Title>
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          None open.
        </Text>
      ) : (
        // The count first, beside a title that wraps: as a badge's text, a long rule title
        // ("Longer than expected in the current journey stage") was cut off on a phone, count and all.
        // The badge never shrinks: as a List icon it gave way to a long title and cut "64" to "6…".
        <List spacing={6} listStyleType="none" data-testid="pain-points">
          {entries.map(([rule, count]) => (
            <List.Item key={rule}>
              <Group gap="sm" wrap="nowrap">
                <Badge size="lg" variant="light" color="orange" miw={40} style={{ flexShrink: 0 }}>
                  {count}
                </Badge>
                <Text size="sm">{signalRuleTitle(rule, rules.data)}</Text>
              </Group>
            </List.Item>
          ))}
        </List>
      )}
    </Card>
  );
}

interface FilterState {
  journey: string | null;
  period: string;
  channel: string;
  clinic: string;
}

/** Journey, period, clinic and preferred channel: which cohort the page shows. */
function Filters(props: { value: FilterState; chosen?: string; onChange: (value: FilterState) => void }) {
  const journeys = useJourneys();
  const clinics = useClinics();
  const { value, onChange } = props;
  return (
    <Group>
      <Select
        label="Journey"
        data={(journeys.data ?? []).map((j) => ({ value: j.id, label: j.title }))}
        value={props.chosen ?? null}
        onChange={(journey) => onChange({ ...value, journey })}
        allowDeselect={false}
      />
      <Select
        label="Period"
        data={PERIODS}
        value={value.period}
        onChange={(period) => onChange({ ...value, period: period ?? 'all' })}
        allowDeselect={false}
      />
      <Select
        label="Clinic"
        data={[{ value: '', label: 'Any clinic' }, ...(clinics.data ?? [])]}
        value={value.clinic}
        onChange={(clinic) => onChange({ ...value, clinic: clinic ?? '' })}
        allowDeselect={false}
      />
      <Select
        label="Preferred channel"
        data={CHANNELS}
        value={value.channel}
        onChange={(channel) => onChange({ ...value, channel: channel ?? '' })}
        allowDeselect={false}
      />
    </Group>
  );
}

/** The funnel across the journey's stages for a cohort, with time in stage and pain points. */
export default function JourneyMapPage() {
  const journeys = useJourneys();
  const [state, setState] = useState<FilterState>({ journey: null, period: 'all', channel: '', clinic: '' });
  const [stage, setStage] = useState<{ code: string; display: string }>();
  const chosen = state.journey ?? journeys.data?.[0]?.id;
  const filter = {
    journey: chosen,
    days: state.period === 'all' ? undefined : Number(state.period),
    channel: state.channel || undefined,
    clinic: state.clinic || undefined,
  };
  const cohort = useCohort(filter);
  const changeFilters = (next: FilterState) => {
    setState(next);
    setStage(undefined);
  };
  return (
    <>
      <PageHeader
        title="Journey map"
        description="Where patients are in their journey, where they stall, and what hurts."
        actions={<Filters value={state} chosen={chosen} onChange={changeFilters} />}
      />
      <QueryState query={cohort} height={360}>
        {(data) => (
          <Stack>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Stat label="Patients" value={data.patients} />
              <Stat label="Open care gaps" value={data.careGaps.open} hint={careGapsHint} />
              <Stat label="Gaps closed" value={`${Math.round(data.careGaps.closureRate * 100)}%`} />
              <Stat label="Stalled" value={data.stages.reduce((sum, stage) => sum + stage.stalled, 0)} />
            </SimpleGrid>
            <Card padding="md">
              <Funnel cohort={data} onSelect={(row) => setStage({ code: row.stage, display: row.display })} />
            </Card>
            {stage && <StageMembers filter={filter} stage={stage} onClose={() => setStage(undefined)} />}
            <PainPoints cohort={data} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}

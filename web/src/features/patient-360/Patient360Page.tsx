import { Grid, Stack } from '@mantine/core';
import { useParams } from 'wouter';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { AttentionStrip } from './AttentionStrip.tsx';
import './patient-360.css';
import { PatientHeader } from './PatientHeader.tsx';
import { SummarySections } from './SummarySections.tsx';
import { Timeline } from './Timeline.tsx';
import { usePatient360 } from './use-patient-view.ts';

/** One person from every source: who, what needs attention, the summary, and the timeline. */
export default function Patient360Page() {
  const { id = '' } = useParams<{ id: string }>();
  const view = usePatient360(id);
  return (
    <QueryState query={view} height={480}>
      {(data) => (
        <Stack>
          <PatientHeader view={data} />
          <AttentionStrip view={data} />
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <SummarySections view={data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Timeline id={id} counts={data.counts} />
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </QueryState>
  );
}

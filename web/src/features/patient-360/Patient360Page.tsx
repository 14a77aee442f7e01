import { Grid, Stack } from '@mantine/core';
import { useParams } from 'wouter';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { PatientActions } from './actions/PatientActions.tsx';
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
    <Stack>
      <QueryState query={view} height={220}>
        {(data) => (
          <>
            <PatientHeader view={data} />
            <PatientActions patientId={id} consent={data.person.contact.consent} />
            <AttentionStrip view={data} />
          </>
        )}
      </QueryState>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <QueryState query={view} height={480}>
            {(data) => <SummarySections view={data} />}
          </QueryState>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          {/* Asked for beside the 360 view, not after it: the two requests run together. */}
          <Timeline id={id} counts={view.data?.counts ?? {}} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

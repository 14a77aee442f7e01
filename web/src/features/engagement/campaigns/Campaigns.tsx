import { Alert, Button, Grid, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { QueryState } from '../../../shared/ui/QueryState.tsx';
import { CampaignList } from './CampaignList.tsx';
import { CampaignPreview } from './CampaignPreview.tsx';
import { CampaignReport } from './CampaignReport.tsx';
import { CohortFields } from './CohortFields.tsx';
import { MessageFields } from './MessageFields.tsx';
import { useCampaignForm } from './use-campaign-form.ts';
import { useCohortChoices } from './use-campaigns.ts';

/**
 * Campaigns for care coordinators: choose who (a search, a journey stage, an open care gap),
 * what and how fast; Preview shows the engine's own decision per person; Launch writes the
 * campaign (once per preview, whatever the clicks); then its report.
 */
export function Campaigns() {
  const choices = useCohortChoices();
  const campaign = useCampaignForm();
  const [shown, setShown] = useState<string>();
  const launch = () => campaign.launch((id) => setShown(id));
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <QueryState query={choices} height={400}>
          {(data) => (
            <Stack component="form" aria-label="New campaign" onSubmit={(e) => e.preventDefault()}>
              <CohortFields form={campaign.form} setField={campaign.setField} choices={data} />
              <MessageFields form={campaign.form} setField={campaign.setField} />
              {campaign.error && (
                <Alert color="red" role="alert" title="Not done">
                  {campaign.error.message}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={campaign.preview} loading={campaign.previewing}>
                  Preview
                </Button>
                <Button onClick={launch} disabled={!campaign.canLaunch} loading={campaign.launching}>
                  Launch
                </Button>
              </Group>
            </Stack>
          )}
        </QueryState>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="lg">
          {campaign.previewed && <CampaignPreview preview={campaign.previewed} />}
          {shown && <CampaignReport id={shown} />}
          <CampaignList selected={shown} onSelect={setShown} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

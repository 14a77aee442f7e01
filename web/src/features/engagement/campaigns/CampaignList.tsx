import { Button, Stack, Text, Title } from '@mantine/core';
import { formatDateTime } from '../../../shared/fhir/format.ts';
import { QueryState } from '../../../shared/ui/QueryState.tsx';
import { useCampaigns } from './use-campaigns.ts';

/** The campaigns launched so far; choosing one shows its report. */
export function CampaignList(props: { selected?: string; onSelect: (id: string) => void }) {
  const campaigns = useCampaigns();
  return (
    <Stack gap="xs" component="section" aria-label="Campaigns">
      <Title order={2} size="h4">
        Campaigns
      </Title>
      <QueryState
        query={campaigns}
        height={80}
        isEmpty={(data) => data.campaigns.length === 0}
        empty="No campaign yet."
      >
        {(data) =>
          data.campaigns.map((campaign) => (
            <Button
              key={campaign.id}
              variant={campaign.id === props.selected ? 'light' : 'subtle'}
              justify="space-between"
              fullWidth
              aria-pressed={campaign.id === props.selected}
              onClick={() => props.onSelect(campaign.id)}
              rightSection={
                <Text size="xs" c="dimmed" component="span">
                  {campaign.people} people · {formatDateTime(campaign.created)}
                </Text>
              }
            >
              {campaign.name}
            </Button>
          ))
        }
      </QueryState>
    </Stack>
  );
}

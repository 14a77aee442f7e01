import { Alert, Tabs } from '@mantine/core';
import { mayOperate, useMe, type Me } from '../../shared/api/use-me.ts';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { Attention } from './Attention.tsx';
import { Campaigns } from './campaigns/Campaigns.tsx';
import { Outbox } from './Outbox.tsx';

/** The tabs a role is offered: the outbox and replies, and campaigns for those who run them. */
function EngagementTabs({ me }: { me: Me }) {
  const outbox = mayOperate(me, 'engagement-outbox');
  const campaigns = mayOperate(me, 'engagement-campaigns');
  return (
    <Tabs defaultValue={outbox ? 'attention' : 'campaigns'} keepMounted={false}>
      <Tabs.List mb="md">
        {outbox && <Tabs.Tab value="attention">Needs attention</Tabs.Tab>}
        {outbox && <Tabs.Tab value="outbox">Outbox</Tabs.Tab>}
        {campaigns && <Tabs.Tab value="campaigns">Campaigns</Tabs.Tab>}
      </Tabs.List>
      <Tabs.Panel value="attention">
        <Attention />
      </Tabs.Panel>
      <Tabs.Panel value="outbox">
        <Outbox />
      </Tabs.Panel>
      <Tabs.Panel value="campaigns">
        <Campaigns />
      </Tabs.Panel>
    </Tabs>
  );
}

/** Engagement: replies and failures that need a person, the outbox of what went out, campaigns. */
export default function EngagementPage() {
  const me = useMe();
  return (
    <>
      <PageHeader
        title="Engagement"
        description="Replies that need someone, the messages the clinic sent, and campaigns."
      />
      <QueryState query={me} height={300}>
        {(data) =>
          mayOperate(data, 'engagement-outbox') || mayOperate(data, 'engagement-campaigns') ? (
            <EngagementTabs me={data} />
          ) : (
            <Alert color="gray" title="Not for your role">
              The outbox and conversations are for the front desk and care coordinators.
            </Alert>
          )
        }
      </QueryState>
    </>
  );
}

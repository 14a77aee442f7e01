import { Alert, Tabs } from '@mantine/core';
import { mayOperate, useMe } from '../../shared/api/use-me.ts';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { Attention } from './Attention.tsx';
import { Outbox } from './Outbox.tsx';

/** Engagement: replies and failures that need a person, and the outbox of what went out. */
export default function EngagementPage() {
  const me = useMe();
  return (
    <>
      <PageHeader
        title="Engagement"
        description="Replies that need someone, and the messages the clinic sent."
      />
      <QueryState query={me} height={300}>
        {(data) =>
          mayOperate(data, 'engagement-outbox') ? (
            <Tabs defaultValue="attention" keepMounted={false}>
              <Tabs.List mb="md">
                <Tabs.Tab value="attention">Needs attention</Tabs.Tab>
                <Tabs.Tab value="outbox">Outbox</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="attention">
                <Attention />
              </Tabs.Panel>
              <Tabs.Panel value="outbox">
                <Outbox />
              </Tabs.Panel>
            </Tabs>
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

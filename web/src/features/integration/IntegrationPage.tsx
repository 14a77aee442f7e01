import { Tabs } from '@mantine/core';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { AuditLog } from './AuditLog.tsx';
import { InboundMessages } from './InboundMessages.tsx';
import { OutboundMessages } from './OutboundMessages.tsx';

/**
 * Integration (administrators): the HL7 v2 message store — what failed and why, reprocessing —
 * what went out to other systems, and the audit log ("who looked at this record"). The server
 * decides every call; the nav shows this page only to roles granted the integration console.
 */
export default function IntegrationPage() {
  return (
    <>
      <PageHeader
        title="Integration"
        description="Messages from and to other systems, and who looked at which record."
      />
      <Tabs defaultValue="inbound" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="inbound">Inbound HL7</Tabs.Tab>
          <Tabs.Tab value="outbound">Outbound HL7</Tabs.Tab>
          <Tabs.Tab value="audit">Audit log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="inbound">
          <InboundMessages />
        </Tabs.Panel>
        <Tabs.Panel value="outbound">
          <OutboundMessages />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditLog />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

import { Card, Group, Pagination, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useLocation, useParams } from 'wouter';
import { mayOperate, useMe } from '../../shared/api/use-me.ts';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { PAGE_SIZE, usePatientNames, useWorklist, useWorklistSummaries } from './use-worklists.ts';
import { WorklistPicker } from './WorklistPicker.tsx';
import { WorklistRow } from './WorklistRow.tsx';

/**
 * Replies queued from this list, by patient: one reply answers every message of hers (the
 * journey rule closes them all once it is sent), so each of her rows says "Replied".
 */
function useReplies() {
  const me = useMe();
  const [replied, setReplied] = useState<Record<string, string>>({});
  return (patient: string | undefined) => ({
    allowed: mayOperate(me.data, 'engagement-send'),
    done: patient ? replied[patient] : undefined,
    onDone: (confirmation: string) => patient && setReplied((all) => ({ ...all, [patient]: confirmation })),
  });
}

function WorklistTable({ name }: { name: string }) {
  const [page, setPage] = useState(0);
  const list = useWorklist(name, page);
  const names = usePatientNames(list.data?.items);
  const replyFor = useReplies();
  return (
    <QueryState
      query={list}
      height={400}
      isEmpty={(data) => data.items.length === 0}
      empty="Nothing to do on this list."
    >
      {(data) => (
        <>
          <Table
            verticalSpacing="sm"
            highlightOnHover
            // gray.1, the default, leaves teal text (names, a message's channel) under 4.5:1 on hover.
            highlightOnHoverColor="gray.0"
            aria-label="Worklist items"
            className="tl-stack-on-phone"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>What</Table.Th>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Since</Table.Th>
                <Table.Th ta="right">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((item) => (
                <WorklistRow
                  key={item.id}
                  item={item}
                  list={name}
                  patient={item.patient ? names.data?.get(item.patient.split('/')[1]!) : undefined}
                  reply={replyFor(item.patient)}
                />
              ))}
            </Table.Tbody>
          </Table>
          {data.total > PAGE_SIZE && (
            <Group justify="center" mt="md">
              <Pagination
                total={Math.ceil(data.total / PAGE_SIZE)}
                value={page + 1}
                onChange={(value) => setPage(value - 1)}
              />
            </Group>
          )}
        </>
      )}
    </QueryState>
  );
}

/** The lists of work (care gaps, referrals, messages, appointments, duplicates): claim, snooze, complete. */
export default function WorklistsPage() {
  const params = useParams<{ name?: string }>();
  const [, navigate] = useLocation();
  const summaries = useWorklistSummaries();
  return (
    <>
      <PageHeader
        title="Worklists"
        description="Open work for the clinic, oldest first. Claim an item before you work it."
      />
      <QueryState query={summaries} height={48}>
        {({ worklists }) => {
          // With no list named, open the first that has work: an empty first list (a role
          // that sees no care gaps) looked like there was nothing to do.
          const active =
            params.name ?? (worklists.find((list) => list.count > 0) ?? worklists[0])?.name ?? '';
          const current = worklists.find((list) => list.name === active);
          return (
            <Card padding="md">
              <WorklistPicker
                worklists={worklists}
                active={active}
                onChange={(value) => navigate(`/worklists/${value}`)}
              />
              {current && (
                <Text size="sm" c="dimmed" mb="sm">
                  {current.description}
                </Text>
              )}
              {active && <WorklistTable key={active} name={active} />}
            </Card>
          );
        }}
      </QueryState>
    </>
  );
}

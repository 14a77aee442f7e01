import { Alert, Badge, Button, Card, Grid, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { formatDate } from '../../shared/fhir/format.ts';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { ComparePair } from './ComparePair.tsx';
import {
  useDecision,
  usePair,
  useReviewQueue,
  useUnmerge,
  type Decision,
  type ReviewItem,
} from './use-review.ts';

const DECISIONS: { decision: Decision; label: string; variant: string; color?: string }[] = [
  { decision: 'link', label: 'Same person: link', variant: 'filled' },
  { decision: 'merge', label: 'Merge records', variant: 'light' },
  { decision: 'reject', label: 'Not a duplicate', variant: 'light', color: 'red' },
  { decision: 'defer', label: 'Decide later', variant: 'subtle', color: 'gray' },
];

function Decide({ item, onDone }: { item: ReviewItem; onDone: (decision: Decision) => void }) {
  const decide = useDecision();
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {DECISIONS.map(({ decision, label, variant, color }) => (
          <Button
            key={decision}
            variant={variant}
            color={color}
            loading={decide.isPending && decide.variables?.decision === decision}
            onClick={() =>
              decide.mutate({ taskId: item.taskId, decision }, { onSuccess: () => onDone(decision) })
            }
          >
            {label}
          </Button>
        ))}
      </Group>
      {decide.error && (
        <Alert color="red" role="alert">
          {decide.error.message}
        </Alert>
      )}
    </Stack>
  );
}

function PairPanel({ item }: { item: ReviewItem }) {
  const pair = usePair(item.recordIds);
  const [decided, setDecided] = useState<Decision>();
  const unmerge = useUnmerge();
  return (
    <Card>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Score {item.score.toFixed(1)}
        </Title>
        <Text size="xs" c="dimmed">
          queued {formatDate(item.createdAt)}
        </Text>
      </Group>
      <QueryState query={pair} height={360}>
        {(records) => <ComparePair item={item} pair={records} />}
      </QueryState>
      <Stack mt="md">
        {decided ? (
          <Alert color="green" role="status" title="Decision recorded">
            <Group justify="space-between">
              <Text size="sm">
                {decided === 'reject' ? 'Marked as not a duplicate.' : `Decision: ${decided}.`}
              </Text>
              {decided === 'merge' && (
                <Button
                  size="xs"
                  variant="default"
                  loading={unmerge.isPending}
                  disabled={unmerge.isSuccess}
                  onClick={() => unmerge.mutate(item.recordIds[0])}
                >
                  {unmerge.isSuccess ? 'Merge undone' : 'Undo merge'}
                </Button>
              )}
            </Group>
          </Alert>
        ) : (
          <Decide item={item} onDone={setDecided} />
        )}
      </Stack>
    </Card>
  );
}

function PairList({ items, selected }: { items: ReviewItem[]; selected?: string }) {
  return (
    <Card padding="xs" component="nav" aria-label="Pairs to review">
      {items.map((item) => (
        <NavLink
          key={item.taskId}
          component={Link}
          href={`/duplicates/${item.taskId}`}
          active={item.taskId === selected}
          label={`Pair queued ${formatDate(item.createdAt)}`}
          description={`agree on ${item.explanation
            .filter((entry) => entry.weight > 0)
            .map((entry) => entry.field)
            .slice(0, 4)
            .join(', ')}`}
          rightSection={
            <Badge variant="light" size="sm">
              {item.score.toFixed(0)}
            </Badge>
          }
        />
      ))}
      {items.length === 0 && (
        <Text size="sm" c="dimmed" p="sm">
          Queue empty.
        </Text>
      )}
    </Card>
  );
}

/** Pairs identity could not decide: compare side by side, then link, merge or reject. */
export default function DuplicateReviewPage() {
  const { taskId } = useParams<{ taskId?: string }>();
  const [, navigate] = useLocation();
  const queue = useReviewQueue();
  const [kept] = useState(new Map<string, ReviewItem>());
  return (
    <>
      <PageHeader
        title="Duplicate review"
        description="Records identity thinks may be the same person. The evidence is per field: green for, red against."
      />
      <QueryState
        query={queue}
        height={300}
        isEmpty={(items) => items.length === 0 && !taskId}
        empty="No possible duplicates waiting. Well done."
      >
        {(items) => {
          for (const item of items) kept.set(item.taskId, item);
          const selected = kept.get(taskId ?? '') ?? items[0];
          if (selected && !taskId)
            queueMicrotask(() => navigate(`/duplicates/${selected.taskId}`, { replace: true }));
          return (
            <Grid gap="md">
              <Grid.Col span={{ base: 12, md: 4 }}>
                <PairList items={items} selected={selected?.taskId} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 8 }}>
                {selected && <PairPanel key={selected.taskId} item={selected} />}
              </Grid.Col>
            </Grid>
          );
        }}
      </QueryState>
    </>
  );
}

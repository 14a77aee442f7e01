import { Badge, Button, Card, Chip, Group, Stack, Text, Title } from '@mantine/core';
import { useIntersection } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { describe } from '../../shared/fhir/describe.ts';
import { formatDateTime, sourceName } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useTimeline } from './use-patient-view.ts';
import type { TimelineEvent } from './view-types.ts';

const CATEGORY_LABELS: Record<string, string> = {
  clinical: 'Clinical',
  labs: 'Labs',
  appointments: 'Appointments',
  billing: 'Billing',
  engagement: 'Engagement',
  administrative: 'Administrative',
  social: 'Social',
  'patient-reported': 'Patient-reported',
  journey: 'Journey',
  tasks: 'Tasks',
};

/** Loads the next page when the end of the list scrolls into view (and by button, for keyboards). */
function MoreOnScroll({ onMore, busy }: { onMore: () => void; busy: boolean }) {
  const { ref, entry } = useIntersection({ threshold: 0.1 });
  useEffect(() => {
    if (entry?.isIntersecting && !busy) onMore();
  }, [entry?.isIntersecting, busy, onMore]);
  return (
    <Button ref={ref} variant="subtle" size="xs" onClick={onMore} loading={busy}>
      Load older events
    </Button>
  );
}

function EventRow({ event }: { event: TimelineEvent }) {
  const described = describe(event.resource);
  return (
    <Group className="timeline-event" gap="sm" wrap="nowrap" align="flex-start" py={8}>
      <Text size="xs" c="dimmed" w={120} style={{ flexShrink: 0 }}>
        {formatDateTime(event.date)}
      </Text>
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Text size="sm" lineClamp={2} data-testid="timeline-title">
          {described.title}
        </Text>
        <Group gap={6}>
          <Badge size="xs" variant="light" color="gray" data-testid="timeline-category">
            {CATEGORY_LABELS[event.category] ?? event.category}
          </Badge>
          <Text size="xs" c="dimmed">
            {[described.detail, sourceName(event.source)].filter(Boolean).join(' · ')}
          </Text>
        </Group>
      </Stack>
    </Group>
  );
}

/** Every event of every source, newest first; filter by category; older pages as you scroll. */
export function Timeline({ id, counts }: { id: string; counts: Record<string, number> }) {
  const [categories, setCategories] = useState<string[]>([]);
  const timeline = useTimeline(id, categories);
  const available = Object.keys(counts).filter((category) => counts[category]! > 0);
  return (
    <Card component="section" aria-labelledby="timeline-title" data-testid="timeline">
      <Title order={2} size="h4" id="timeline-title" mb="sm">
        Timeline
      </Title>
      <Chip.Group multiple value={categories} onChange={setCategories}>
        <Group gap={6} mb="md" role="group" aria-label="Filter the timeline by category">
          {available.map((category) => (
            <Chip key={category} value={category} size="xs" variant="outline">
              {CATEGORY_LABELS[category] ?? category} ({counts[category]})
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <QueryState
        query={timeline}
        height={400}
        isEmpty={(data) => data.pages[0]?.events.length === 0}
        empty="No events."
      >
        {(data) => (
          <Stack gap={0}>
            {data.pages
              .flatMap((page) => page.events)
              .map((event) => (
                <EventRow key={event.reference} event={event} />
              ))}
            {timeline.hasNextPage && (
              <MoreOnScroll onMore={() => void timeline.fetchNextPage()} busy={timeline.isFetchingNextPage} />
            )}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

import { Badge, Button, Card, Group, List, Text } from '@mantine/core';
import { IconBellRinging } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDate, formatDateTime } from '../../shared/fhir/format.ts';
import type { Patient360 } from './view-types.ts';

const KIND_LABELS: Record<string, { label: string; color: string }> = {
  'abnormal-result': { label: 'Abnormal results', color: 'red' },
  'missed-appointment': { label: 'Missed appointments', color: 'orange' },
  'unconfirmed-appointment': { label: 'Unconfirmed appointments', color: 'yellow' },
  'referral-not-booked': { label: 'Referrals not booked', color: 'orange' },
  'unanswered-message': { label: 'Unanswered messages', color: 'grape' },
  'open-task': { label: 'Open tasks', color: 'blue' },
  'possible-duplicate': { label: 'Possible duplicates', color: 'orange' },
};

/** The item's date in words beside its text: with the time, for appointments. */
const whenOf = (item: Patient360['needsAttention'][number]) =>
  item.kind.endsWith('-appointment') ? formatDateTime(item.date) : formatDate(item.date);

/** What needs attention now: counts by kind, then the most recent items in words. */
export function AttentionStrip({ view }: { view: Patient360 }) {
  const items = view.needsAttention;
  // The rest behind a button, not a dead "and 4 more": the hidden items are work to do too.
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? items : items.slice(0, 4);
  if (items.length === 0)
    return (
      <Card py="sm" aria-label="What needs attention">
        <Text size="sm" c="dimmed">
          Nothing needs attention.
        </Text>
      </Card>
    );
  return (
    <Card
      py="sm"
      aria-label="What needs attention"
      bg="orange.0"
      style={{ borderColor: 'var(--mantine-color-orange-2)' }}
    >
      <Group gap="xs" mb="xs">
        <IconBellRinging size={18} aria-hidden color="var(--mantine-color-orange-8)" />
        <Text fw={600} size="sm">
          Needs attention
        </Text>
        {Object.entries(view.attentionCounts).map(([kind, count]) => (
          <Badge key={kind} color={KIND_LABELS[kind]?.color ?? 'gray'} variant="light">
            {KIND_LABELS[kind]?.label ?? kind}: {count}
          </Badge>
        ))}
      </Group>
      <List size="sm" spacing={2}>
        {shown.map((item) => (
          <List.Item key={`${item.kind}-${item.reference}`}>
            {item.text}
            {item.date && (
              <Text span c="dimmed" size="xs">
                {' '}
                · {whenOf(item)}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
      {items.length > 4 && (
        <Button variant="subtle" size="compact-xs" mt={4} onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show ${items.length - 4} more`}
        </Button>
      )}
    </Card>
  );
}

import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { describe, typeLabel } from '../../shared/fhir/describe.ts';
import { formatDate } from '../../shared/fhir/format.ts';
import type { ViewItem } from './view-types.ts';

/** A titled card listing resources in words, newest first; absent when there is nothing to list. */
export function ItemList({ title, items, limit = 6 }: { title: string; items: ViewItem[]; limit?: number }) {
  if (items.length === 0) return null;
  const id = `section-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Card component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        <Text size="xs" c="dimmed">
          {items.length}
        </Text>
      </Group>
      <Stack gap={6}>
        {items.slice(0, limit).map((item) => {
          const described = describe(item.resource);
          return (
            <Group key={item.reference} justify="space-between" wrap="nowrap" gap="md">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" lineClamp={2}>
                  {described.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {[typeLabel(item.resourceType), described.detail].filter(Boolean).join(' · ')}
                </Text>
              </Stack>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatDate(item.date)}
              </Text>
            </Group>
          );
        })}
      </Stack>
    </Card>
  );
}

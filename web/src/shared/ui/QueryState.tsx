import { Alert, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface QueryStateProps<T> {
  query: { isPending: boolean; error: Error | null; data: T | undefined };
  /** Skeleton height while loading, so the page does not jump when data arrives. */
  height?: number;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Loading, error and empty states, the same everywhere. */
export function QueryState<T>({ query, height = 120, isEmpty, empty, children }: QueryStateProps<T>) {
  if (query.isPending)
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading">
        <Skeleton height={height} radius="md" />
      </Stack>
    );
  if (query.error)
    return (
      <Alert color="red" title="Could not load this" role="alert">
        {query.error.message}
      </Alert>
    );
  if (query.data === undefined) return null;
  if (isEmpty?.(query.data))
    return (
      <Text c="dimmed" size="sm" py="sm">
        {empty ?? 'Nothing here.'}
      </Text>
    );
  return <>{children(query.data)}</>;
}

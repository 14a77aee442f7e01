import { Alert, Group, NativeSelect, Text } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLocation } from 'wouter';
import { api } from '../shared/api/http.ts';
import { setActingFor, useActingFor, type ActingFor } from '../shared/session/acting-for.ts';

interface Me {
  you: { patient: string; name: string };
  people: ActingFor[];
}

const ME = ['portal', 'me'];

function useMe() {
  return useQuery({ queryKey: ME, queryFn: () => api<Me>('/api/portal/me'), staleTime: 60_000 });
}

/**
 * Whom she acts for, on every page (issue 20): "You" or a person whose grant the server holds.
 * Switching forgets every answer of the other person (no page shows one person's data under
 * another's name) and starts at the first page. A grant that ended while she acted for
 * someone takes her back to herself.
 */
export function PersonSwitcher() {
  const me = useMe();
  const acting = useActingFor();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const ended =
    !!acting && (me.error || (me.data && !me.data.people.some((p) => p.patient === acting.patient)));
  const choose = (patient: string) => {
    setActingFor(me.data?.people.find((person) => person.patient === patient));
    void client.resetQueries();
    navigate('/');
  };
  useEffect(() => {
    if (ended) choose('');
  });
  const people = me.data?.people ?? [];
  if (people.length === 0 && !acting) return null;
  return (
    <Group className="portal-switcher" px="md" py={6} gap="xs" wrap="nowrap">
      <IconUsers size={18} aria-hidden />
      <Text component="label" htmlFor="acting-for" size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
        Acting for
      </Text>
      <NativeSelect
        id="acting-for"
        size="sm"
        value={acting?.patient ?? ''}
        onChange={(event) => choose(event.currentTarget.value)}
        data={[
          { value: '', label: `You (${me.data?.you.name ?? 'your own record'})` },
          ...people.map((person) => ({
            value: person.patient,
            label: `${person.name} (${person.relation})`,
          })),
        ]}
      />
    </Group>
  );
}

/** The banner at the top of every page while she acts for someone: whose record this is. */
export function ActingForBanner() {
  const acting = useActingFor();
  if (!acting) return null;
  return (
    <Alert color="grape" variant="light" mb="md" role="status" data-testid="acting-for">
      <Text size="sm" fw={600}>
        Acting for: {acting.name} ({acting.relation})
      </Text>
      <Text size="sm">
        Everything on these pages is {acting.name}’s record, and what you do here is done for them.
      </Text>
    </Alert>
  );
}

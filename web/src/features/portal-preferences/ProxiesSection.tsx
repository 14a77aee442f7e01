import { Alert, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { formatDate } from '../../shared/fhir/format.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useProxies, useRevokeProxy, type Proxy } from './use-proxies.ts';

/** What each scope code lets a caregiver do, in her words. */
const SCOPES: Record<string, string> = {
  record: 'see your record',
  appointments: 'manage your appointments',
  messages: 'message the clinic for you',
  forms: 'fill in your forms',
};

function ProxyItem({ proxy }: { proxy: Proxy }) {
  const revoke = useRevokeProxy();
  const what = proxy.scope.map((code) => SCOPES[code] ?? code).join(', ') || 'nothing yet';
  return (
    <List.Item>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text fw={600}>
            {proxy.name} · {proxy.relationship}
          </Text>
          <Text size="sm" c="dimmed">
            May {what}
            {proxy.until ? ` until ${formatDate(proxy.until)}` : ''}
          </Text>
        </div>
        {proxy.live ? (
          <Button
            size="xs"
            color="red"
            variant="light"
            loading={revoke.isPending}
            aria-label={`End access for ${proxy.name}`}
            onClick={() => revoke.mutate(proxy.grant)}
          >
            End access
          </Button>
        ) : (
          <Badge color="gray">Ended</Badge>
        )}
      </Group>
      {revoke.error && (
        <Alert color="red" role="alert" mt="xs">
          {revoke.error.message}
        </Alert>
      )}
    </List.Item>
  );
}

/** Who may act for her (caregivers the clinic or she granted), and ending that at once. */
export function ProxiesSection() {
  const query = useProxies();
  return (
    <Stack gap="sm" component="section" aria-label="Who can act for me">
      <Title order={2} size="h4">
        Who can act for me
      </Title>
      <QueryState
        query={query}
        isEmpty={(rows) => rows.length === 0}
        empty="Nobody can act for you in the portal."
      >
        {(rows) => (
          <Card padding="md">
            <List spacing="sm" listStyleType="none">
              {rows.map((proxy) => (
                <ProxyItem key={proxy.grant} proxy={proxy} />
              ))}
            </List>
          </Card>
        )}
      </QueryState>
    </Stack>
  );
}

import { Alert, Card, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useChoose, useConsents, type ConsentState } from './use-preferences.ts';

const PURPOSES: { code: string; label: string; hint: string }[] = [
  { code: 'appointment-reminder', label: 'Appointment reminders', hint: 'Before a visit you booked' },
  { code: 'results-ready', label: 'Results ready', hint: 'When new results are in the portal' },
  { code: 'care-gap', label: 'Care reminders', hint: 'A check-up or test that is due' },
  { code: 'referral', label: 'Referrals', hint: 'Booking a visit you were referred to' },
  { code: 'survey', label: 'Surveys', hint: 'How your visit went' },
  { code: 'marketing', label: 'News from the clinic', hint: 'Services and opening hours' },
];

const CHANNELS: { code: string; label: string }[] = [
  { code: 'sms', label: 'SMS' },
  { code: 'email', label: 'Email' },
  { code: 'whatsapp', label: 'WhatsApp' },
  { code: 'voice', label: 'Phone call' },
];

function PurposeCard({ purpose, states }: { purpose: (typeof PURPOSES)[number]; states: ConsentState[] }) {
  const choose = useChoose();
  return (
    <Card padding="md" component="fieldset" aria-label={purpose.label} className="portal-fieldset">
      <Text fw={650} component="legend">
        {purpose.label}
      </Text>
      <Text size="sm" c="dimmed" mb="xs">
        {purpose.hint}
      </Text>
      <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="sm">
        {CHANNELS.map((channel) => {
          const state = states.find((s) => s.channel === channel.code && s.purpose === purpose.code);
          return (
            <Switch
              key={channel.code}
              label={channel.label}
              aria-label={`${channel.label} for ${purpose.label.toLowerCase()}`}
              checked={state?.permitted ?? false}
              disabled={choose.isPending}
              onChange={(event) =>
                choose.mutate({
                  channel: channel.code,
                  purpose: purpose.code,
                  decision: event.currentTarget.checked ? 'permit' : 'deny',
                })
              }
            />
          );
        })}
      </SimpleGrid>
      {choose.error && (
        <Alert color="red" role="alert" mt="xs">
          {choose.error.message}
        </Alert>
      )}
    </Card>
  );
}

/**
 * How the clinic may contact her, per purpose and channel. Each switch writes her choice at
 * once; the clinic checks it again just before sending anything, queued messages included.
 */
export function ConsentSection() {
  const query = useConsents();
  return (
    <Stack gap="sm" component="section" aria-label="How we contact you">
      <Title order={2} size="h4">
        How we contact you
      </Title>
      <Text size="sm" c="dimmed">
        Changes apply at once, also to messages already waiting to be sent.
      </Text>
      <QueryState query={query}>
        {(states) => (
          <Stack gap="sm">
            {PURPOSES.map((purpose) => (
              <PurposeCard key={purpose.code} purpose={purpose} states={states} />
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

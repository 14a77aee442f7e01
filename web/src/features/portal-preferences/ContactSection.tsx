import { Alert, Anchor, Card, Radio, Group, Select, Stack, Text, Title } from '@mantine/core';
import { Link } from 'wouter';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import {
  CHANNEL_LABELS,
  channelChoices,
  LANGUAGES,
  preferredLanguage,
  withLanguage,
  withPreferredChannel,
  type PatientWithLanguage,
  type PreferredChannel,
} from './contact-preferences.ts';
import { useOwnRecord, useSaveOwnRecord } from './use-preferences.ts';

/**
 * With no phone number or email on her record there is no channel to choose: the label alone
 * (an empty choice) told her nothing, so say why and how to add one.
 */
function NoChannelYet() {
  return (
    <Alert color="yellow" role="note" title="Contact me first by">
      We have no phone number or email address for you yet, so there is nothing to choose. Tell the front desk
      at your next visit, or{' '}
      <Anchor component={Link} href="/messages">
        send us a message
      </Anchor>{' '}
      with the number or email we should use; it then shows here.
    </Alert>
  );
}

function ContactForm({ patient }: { patient: PatientWithLanguage }) {
  const save = useSaveOwnRecord();
  const { available, preferred } = channelChoices(patient);
  return (
    <Stack gap="md">
      {available.length === 0 ? (
        <NoChannelYet />
      ) : (
        <Radio.Group
          label="Contact me first by"
          value={preferred ?? null}
          onChange={(value) => save.mutate(withPreferredChannel(patient, value as PreferredChannel))}
        >
          <Group gap="lg" mt={6}>
            {available.map((channel) => (
              <Radio
                key={channel}
                value={channel}
                label={CHANNEL_LABELS[channel]}
                disabled={save.isPending}
              />
            ))}
          </Group>
        </Radio.Group>
      )}
      <Select
        label="Language for messages"
        data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
        value={preferredLanguage(patient) ?? 'en'}
        allowDeselect={false}
        disabled={save.isPending}
        onChange={(code) => code && save.mutate(withLanguage(patient, code))}
        w={{ base: '100%', xs: 240 }}
      />
      {save.error && (
        <Alert color="red" role="alert">
          {save.error.message}
        </Alert>
      )}
      {save.isSuccess && (
        <Alert color="green" role="status">
          Saved. Messages already waiting to be sent follow it too.
        </Alert>
      )}
    </Stack>
  );
}

/** How she wants to be reached: the channel tried first, and the language of messages. */
export function ContactSection() {
  const record = useOwnRecord();
  return (
    <Card padding="md" component="section" aria-label="Channel and language">
      <Title order={2} size="h4" mb={4}>
        Channel and language
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        We use the first channel you allow for each kind of message below.
      </Text>
      <QueryState query={record}>{(patient) => <ContactForm patient={patient} />}</QueryState>
    </Card>
  );
}

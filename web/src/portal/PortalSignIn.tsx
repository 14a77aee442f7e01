import {
  Alert,
  Box,
  Button,
  Center,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { SignInError, signIn } from '../shared/session/session-store.ts';
import { CodeSignIn, type CodeChannel } from './CodeSignIn.tsx';

/**
 * The portal's sign-in: email and password of her account (`POST /auth/login`, the staff app's
 * cookie-session flow), or no password at all — a code by email or text message
 * (`CodeSignIn`). The server answers the same "invalid" whatever failed, so this page cannot
 * tell anyone whether an address has an account.
 */
export function PortalSignIn() {
  const [codeBy, setCodeBy] = useState<CodeChannel>();
  return (
    <Center mih="100vh" p="md" component="main">
      <Box w="100%" maw={420}>
        <Stack align="center" gap={4} mb="lg">
          <img src="/favicon.svg" width={48} height={48} alt="" />
          <Title order={1} size="h2">
            Your health portal
          </Title>
          <Text c="dimmed" size="sm" ta="center">
            Results, appointments and messages with your clinic
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          {codeBy ? (
            <CodeSignIn key={codeBy} channel={codeBy} onCancel={() => setCodeBy(undefined)} />
          ) : (
            <PasswordSignIn onCodeBy={setCodeBy} />
          )}
        </Paper>
      </Box>
    </Center>
  );
}

function PasswordSignIn({ onCodeBy }: { onCodeBy: (channel: CodeChannel) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await signIn({ email: String(form.get('email')), password: String(form.get('password')) });
    } catch (problem) {
      setError(problem instanceof SignInError ? problem.message : 'The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput name="email" label="Email" type="email" autoComplete="username" required />
          <PasswordInput name="password" label="Password" autoComplete="current-password" required />
          <Button type="submit" loading={busy} fullWidth size="md">
            Sign in
          </Button>
        </Stack>
      </form>
      <Divider label="or, with no password to remember" labelPosition="center" />
      <Button variant="light" fullWidth size="md" onClick={() => onCodeBy('email')}>
        Email me a code
      </Button>
      <Button variant="light" fullWidth size="md" onClick={() => onCodeBy('sms')}>
        Text me a code
      </Button>
    </Stack>
  );
}

import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { SignInFields } from './SignInFields.tsx';
import { useState, type FormEvent } from 'react';
import { SignInError, signIn } from '../../shared/session/session-store.ts';

/**
 * Email and password; the one-time code field is there for accounts with TOTP enrolled (the
 * server answers the same "invalid" whatever failed, so the page cannot tell who needs one).
 */
export function SignInPage() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get('code') ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      await signIn({
        email: String(form.get('email')),
        password: String(form.get('password')),
        ...(code ? { code } : {}),
      });
    } catch (problem) {
      setError(problem instanceof SignInError ? problem.message : 'The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Box w="100%" maw={420}>
        <Stack align="center" gap={4} mb="lg">
          <img src="/favicon.svg" width={48} height={48} alt="" />
          <Title order={1} size="h2">
            Throughline
          </Title>
          <Text c="dimmed" size="sm">
            Sign in with your clinic account
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
            <SignInFields error={error} busy={busy} />
          </form>
        </Paper>
        <Text size="xs" c="dimmed" ta="center" mt="md">
          Sessions end after a period without activity and at a daily limit; you will be warned first.
        </Text>
      </Box>
    </Center>
  );
}

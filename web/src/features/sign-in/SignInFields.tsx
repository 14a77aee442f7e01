import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';

/** Email and password; the one-time code field appears for users with an authenticator app. */
export function SignInFields({ error, busy }: { error?: string; busy: boolean }) {
  const [withCode, setWithCode] = useState(false);
  return (
    <Stack>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <TextInput name="email" label="Email" type="email" autoComplete="username" required autoFocus />
      <PasswordInput name="password" label="Password" autoComplete="current-password" required />
      {withCode ? (
        <TextInput
          name="code"
          label="One-time code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          autoFocus
        />
      ) : (
        <Anchor component="button" type="button" size="sm" onClick={() => setWithCode(true)}>
          I use an authenticator app
        </Anchor>
      )}
      <Button type="submit" loading={busy} fullWidth>
        Sign in
      </Button>
    </Stack>
  );
}

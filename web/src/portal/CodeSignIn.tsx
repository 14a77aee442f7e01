import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { requestSignInCode, SignInError, signInWithCode } from '../shared/session/session-store.ts';

export type CodeChannel = 'email' | 'sms';

const FIELD = {
  email: { label: 'Email', type: 'email', autoComplete: 'email', placeholder: undefined, hint: undefined },
  sms: {
    label: 'Mobile number',
    type: 'tel',
    autoComplete: 'tel',
    placeholder: '+1 541 555 2674',
    hint: 'Start with + and your country code',
  },
} as const;

function messageOf(problem: unknown): string {
  return problem instanceof SignInError ? problem.message : 'The server could not be reached.';
}

/**
 * "No password to remember": she gives her email or mobile number, gets a 6-digit code there
 * (`POST /auth/code/request`) and types it (`POST /auth/code/verify`). The page says the same
 * after sending whatever she typed, as the server does: it never tells whether an account exists.
 */
export function CodeSignIn({ channel, onCancel }: { channel: CodeChannel; onCancel: () => void }) {
  const [identifier, setIdentifier] = useState<string>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function attempt(work: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (problem) {
      setError(messageOf(problem));
    } finally {
      setBusy(false);
    }
  }
  const send = (value: string, again = false) =>
    attempt(async () => {
      await requestSignInCode(value);
      setIdentifier(value);
      if (again) setNotice('A new code is on its way. Earlier codes no longer work.');
    });
  const feedback = (
    <>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {notice && (
        <Alert color="blue" role="status">
          {notice}
        </Alert>
      )}
    </>
  );
  if (identifier === undefined)
    return (
      <IdentifierStep channel={channel} busy={busy} feedback={feedback} onSend={send} onCancel={onCancel} />
    );
  return (
    <CodeStep
      identifier={identifier}
      busy={busy}
      feedback={feedback}
      onVerify={(code) => attempt(() => signInWithCode(identifier, code))}
      onResend={() => void send(identifier, true)}
      onChangeIdentifier={() => setIdentifier(undefined)}
    />
  );
}

function IdentifierStep(props: {
  channel: CodeChannel;
  busy: boolean;
  feedback: ReactNode;
  onSend: (identifier: string) => Promise<void>;
  onCancel: () => void;
}) {
  const field = FIELD[props.channel];
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void props.onSend(String(new FormData(event.currentTarget).get('identifier')).trim());
  }
  return (
    <form onSubmit={submit} aria-label="Get a sign-in code">
      <Stack>
        {props.feedback}
        <TextInput
          name="identifier"
          required
          autoFocus
          label={field.label}
          type={field.type}
          autoComplete={field.autoComplete}
          placeholder={field.placeholder}
          description={field.hint}
        />
        <Button type="submit" loading={props.busy} fullWidth size="md">
          Send me a code
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={props.onCancel}>
          Sign in with a password instead
        </Anchor>
      </Stack>
    </form>
  );
}

function CodeStep(props: {
  identifier: string;
  busy: boolean;
  feedback: ReactNode;
  onVerify: (code: string) => Promise<void>;
  onResend: () => void;
  onChangeIdentifier: () => void;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void props.onVerify(String(new FormData(event.currentTarget).get('code')).replace(/\s/g, ''));
  }
  return (
    <form onSubmit={submit} aria-label="Enter your code">
      <Stack>
        <Text size="sm">
          If <strong>{props.identifier}</strong> belongs to a portal account, we sent a 6-digit code to it. It
          works once, for 10 minutes.
        </Text>
        {props.feedback}
        <TextInput
          name="code"
          label="6-digit code"
          required
          autoFocus
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
        />
        <Button type="submit" loading={props.busy} fullWidth size="md">
          Sign in
        </Button>
        <Group justify="space-between">
          <Anchor component="button" type="button" size="sm" onClick={props.onResend} disabled={props.busy}>
            Send a new code
          </Anchor>
          <Anchor component="button" type="button" size="sm" onClick={props.onChangeIdentifier}>
            Use a different {props.identifier.includes('@') ? 'email' : 'number'}
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}

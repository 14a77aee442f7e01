import { Alert, Button, Group, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { resumeSession, signOut, type Session } from './session-store.ts';

const WARN_SECONDS = 120;

function minutes(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return seconds >= 60 ? `${Math.ceil(seconds / 60)} min` : `${Math.max(seconds, 0)} s`;
}

/** Seconds before the idle and the absolute limit end the session. */
export function secondsLeft(session: Session, now: number) {
  return {
    idle: Math.round((session.lastActivity + session.idleSeconds * 1000 - now) / 1000),
    absolute: Math.round((session.endsAt - now) / 1000),
  };
}

/**
 * The session's limits, shown before they end: a quiet line in the header, and a warning with
 * "Stay signed in" in the last two minutes of either (the absolute one cannot be extended).
 */
export function SessionLimits({ session }: { session: Session }) {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1000, { autoInvoke: true });
  const left = secondsLeft(session, now);
  const over = left.idle <= 0 || left.absolute <= 0;
  useEffect(() => {
    // The server has ended it too; leave the page to the sign-in form at once.
    if (over) void signOut();
  }, [over]);
  const warning = Math.min(left.idle, left.absolute) <= WARN_SECONDS;
  return (
    <>
      <Text size="xs" c="dimmed" aria-live="off" data-testid="session-limits">
        Signs out after {minutes(session.idleSeconds)} idle · session ends in {minutes(left.absolute)}
      </Text>
      {warning && (
        <Alert
          color="orange"
          role="alertdialog"
          title="Your session is about to end"
          className="session-warning"
        >
          <Group justify="space-between">
            <Text size="sm">
              {left.absolute <= WARN_SECONDS
                ? `The session reaches its limit in ${minutes(left.absolute)}. Save your work and sign in again.`
                : `You will be signed out in ${minutes(left.idle)} for inactivity.`}
            </Text>
            {left.absolute > WARN_SECONDS && (
              <Button size="xs" onClick={() => void resumeSession()}>
                Stay signed in
              </Button>
            )}
          </Group>
        </Alert>
      )}
    </>
  );
}

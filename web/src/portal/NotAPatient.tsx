import { Anchor, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { signOut } from '../shared/session/session-store.ts';

/** A staff account signed in here: the portal shows one patient's own record, and this is none. */
export function NotAPatient() {
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" maw={420}>
        <Stack>
          <Title order={1} size="h3">
            This portal is for patients
          </Title>
          <Text>
            You are signed in with a clinic staff account. Staff work in the{' '}
            <Anchor href="/">staff app</Anchor>.
          </Text>
          <Button variant="light" onClick={() => void signOut()}>
            Sign out
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}

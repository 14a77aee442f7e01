import { Center, Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { resumeSession } from '../shared/session/session-store.ts';
import { useSession } from '../shared/session/use-session.ts';
import { SignInPage } from '../features/sign-in/index.ts';
import { preloadPage } from './routes.tsx';
import { Shell } from './Shell.tsx';

/** Signed in (a session resumed from the cookie counts) → the app; otherwise sign-in. */
export function App() {
  const session = useSession();
  const [resuming, setResuming] = useState(true);
  useEffect(() => {
    preloadPage(window.location.pathname);
    void resumeSession().finally(() => setResuming(false));
  }, []);
  // A patient account belongs in the portal: the staff shell has nothing for her.
  const patient = !!session?.user.patient;
  useEffect(() => {
    if (patient) window.location.replace('/portal');
  }, [patient]);
  if ((resuming && !session) || patient)
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  return session ? <Shell session={session} /> : <SignInPage />;
}

import { Center, Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Router } from 'wouter';
import { resumeSession } from '../shared/session/session-store.ts';
import { useSession } from '../shared/session/use-session.ts';
import { NotAPatient } from './NotAPatient.tsx';
import { PortalShell } from './PortalShell.tsx';
import { PortalSignIn } from './PortalSignIn.tsx';
import { preloadPortalPage } from './routes.tsx';
import './portal.css';

/**
 * The patient portal under `/portal`: the same cookie session as the staff app, but only a
 * patient account (one with a patient context in its token) gets the portal's pages; the
 * server limits that account to her own linked records whatever the page asks.
 */
export function PortalApp() {
  const session = useSession();
  const [resuming, setResuming] = useState(true);
  useEffect(() => {
    preloadPortalPage(window.location.pathname);
    void resumeSession().finally(() => setResuming(false));
  }, []);
  if (resuming && !session)
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  if (!session) return <PortalSignIn />;
  if (!session.user.patient) return <NotAPatient />;
  return (
    <Router base="/portal">
      <PortalShell session={session} />
    </Router>
  );
}

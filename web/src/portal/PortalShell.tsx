import { Box, Button, Group, Text, Title, UnstyledButton } from '@mantine/core';
import { IconLogout } from '@tabler/icons-react';
import { Suspense } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { signOut, type Session } from '../shared/session/session-store.ts';
import { SessionLimits } from '../shared/session/SessionLimits.tsx';
import { QueryState } from '../shared/ui/QueryState.tsx';
import { ActingForBanner, PersonSwitcher } from './PersonSwitcher.tsx';
import { portalRoutes } from './routes.tsx';

/** The tabs: a bar at the thumb on a phone, a row under the header on a wider screen (CSS). */
function Tabs() {
  const [location] = useLocation();
  return (
    <nav aria-label="Portal" className="portal-tabs">
      {portalRoutes.map(({ tab }) => {
        const active = tab.href === '/' ? location === '/' : location.startsWith(tab.href);
        return (
          <UnstyledButton
            key={tab.href}
            component={Link}
            href={tab.href}
            className="portal-tab"
            aria-current={active ? 'page' : undefined}
          >
            <tab.icon size={22} stroke={1.7} aria-hidden />
            <span>{tab.label}</span>
          </UnstyledButton>
        );
      })}
    </nav>
  );
}

function Header({ session }: { session: Session }) {
  return (
    <header className="portal-header">
      <Group justify="space-between" wrap="nowrap" px="md" h={56}>
        <Group gap="xs" wrap="nowrap">
          <img src="/favicon.svg" width={26} height={26} alt="" />
          <Title order={2} size="h5" c="teal.9">
            {session.user.name}
          </Title>
        </Group>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => void signOut()}
        >
          Sign out
        </Button>
      </Group>
    </header>
  );
}

const pending = { isPending: true, error: null, data: undefined };

/**
 * The frame of every portal page: who is signed in and whom she acts for (the switcher and, while
 * she acts for someone, a banner over every page), the tabs, the page, the session's limits.
 */
export function PortalShell({ session }: { session: Session }) {
  return (
    <div className="portal">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header session={session} />
      <PersonSwitcher />
      <Tabs />
      <Box component="main" id="main" className="portal-main">
        <ActingForBanner />
        <Suspense fallback={<QueryState query={pending}>{() => null}</QueryState>}>
          <Switch>
            {portalRoutes.map(({ path, page }) => (
              <Route key={path} path={path} component={page} />
            ))}
            <Route>
              <Text>There is no page here.</Text>
            </Route>
          </Switch>
        </Suspense>
        <Box mt="xl">
          <SessionLimits session={session} />
        </Box>
      </Box>
    </div>
  );
}

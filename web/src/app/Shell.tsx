import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout } from '@tabler/icons-react';
import { Suspense } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { mayOperate, useMe, type Me } from '../shared/api/use-me.ts';
import { codeAsWords } from '../shared/fhir/code-words.ts';
import { signOut, type Session } from '../shared/session/session-store.ts';
import { SessionLimits } from '../shared/session/SessionLimits.tsx';
import { QueryState } from '../shared/ui/QueryState.tsx';
import { useNavCounts } from './nav-counts.ts';
import { routes } from './routes.tsx';

/** The first role as the role matrix names it (`/api/me`); its code in words until that answers. */
function roleLabel(roles: string[], me: Me | undefined): string {
  return me?.roleDisplays[0] ?? codeAsWords(roles[0] ?? 'staff');
}

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const [location] = useLocation();
  const counts = useNavCounts();
  const me = useMe();
  return (
    <Stack gap={2} component="nav" aria-label="Main">
      {routes.flatMap(({ nav }) => {
        if (!nav || (nav.operation && !mayOperate(me.data, nav.operation))) return [];
        const active =
          nav.href === '/'
            ? location === '/' || location.startsWith('/patients')
            : location.startsWith(nav.href);
        const count = nav.count ? counts[nav.count] : undefined;
        return [
          <NavLink
            key={nav.href}
            component={Link}
            href={nav.href}
            label={nav.label}
            active={active}
            onClick={onNavigate}
            leftSection={<nav.icon size={18} stroke={1.7} aria-hidden />}
            rightSection={
              count !== undefined && (
                <Badge className="nav-count" variant="light" size="sm">
                  {count}
                </Badge>
              )
            }
          />,
        ];
      })}
    </Stack>
  );
}

function Header({ session, opened, toggle }: { session: Session; opened: boolean; toggle: () => void }) {
  const me = useMe();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="Open navigation" />
        <img src="/favicon.svg" width={28} height={28} alt="" />
        <Title order={2} size="h4" c="teal.9">
          Throughline
        </Title>
      </Group>
      <Group gap="md" wrap="nowrap">
        <Stack gap={0} align="flex-end" visibleFrom="sm">
          <Text size="sm" fw={600}>
            {session.user.name} · {roleLabel(session.user.roles, me.data)}
          </Text>
          <SessionLimits session={session} />
        </Stack>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => void signOut()}
        >
          Sign out
        </Button>
      </Group>
    </Group>
  );
}

/** The frame of every page: header with the user and session limits, the nav, the page. */
export function Shell({ session }: { session: Session }) {
  const [opened, { toggle, close }] = useDisclosure();
  return (
    <AppShell
      className="tl-shell"
      header={{ height: 64 }}
      navbar={{ width: 240, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Header session={session} opened={opened} toggle={toggle} />
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Navigation onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Suspense
          fallback={
            <QueryState query={{ isPending: true, error: null, data: undefined }}>{() => null}</QueryState>
          }
        >
          <Switch>
            {routes.map(({ path, page }) => (
              <Route key={path} path={path} component={page} />
            ))}
            <Route>
              <Text>There is no page here.</Text>
            </Route>
          </Switch>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

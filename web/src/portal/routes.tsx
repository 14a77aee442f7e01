import {
  IconCalendar,
  IconClipboardText,
  IconHeartbeat,
  IconMessage,
  IconSettings,
  type Icon,
} from '@tabler/icons-react';
import { lazy, type ComponentType } from 'react';

/**
 * The portal's pages, one feature folder each (`features/portal-<name>/`), each loaded on first
 * visit. Paths are relative to `/portal`; every page is in the tab bar.
 */
export interface PortalRoute {
  path: string;
  page: ComponentType;
  tab: { label: string; icon: Icon; href: string };
}

const pages = {
  health: () => import('../features/portal-health/index.ts'),
  appointments: () => import('../features/portal-appointments/index.ts'),
  forms: () => import('../features/portal-forms/index.ts'),
  messages: () => import('../features/portal-messages/index.ts'),
  preferences: () => import('../features/portal-preferences/index.ts'),
};

/** Starts loading the page of the URL beside the session check (see the staff app's routes). */
export function preloadPortalPage(path: string): void {
  const name = path.replace(/^\/portal\/?/, '').split('/')[0] ?? '';
  const page = name in pages ? (name as keyof typeof pages) : 'health';
  void pages[page]();
}

export const portalRoutes: PortalRoute[] = [
  { path: '/', page: lazy(pages.health), tab: { label: 'My health', icon: IconHeartbeat, href: '/' } },
  {
    path: '/appointments',
    page: lazy(pages.appointments),
    tab: { label: 'Appointments', icon: IconCalendar, href: '/appointments' },
  },
  {
    // One page for the list and for one form (`/forms/{Task id}`).
    path: '/forms/:task?',
    page: lazy(pages.forms),
    tab: { label: 'Forms', icon: IconClipboardText, href: '/forms' },
  },
  {
    path: '/messages',
    page: lazy(pages.messages),
    tab: { label: 'Messages', icon: IconMessage, href: '/messages' },
  },
  {
    path: '/preferences',
    page: lazy(pages.preferences),
    tab: { label: 'Settings', icon: IconSettings, href: '/preferences' },
  },
];

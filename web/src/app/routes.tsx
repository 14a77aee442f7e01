import { IconHeartbeat, IconListCheck, IconSearch, IconUsers, type Icon } from '@tabler/icons-react';
import { lazy, type ComponentType } from 'react';

/**
 * The extension point: one entry per feature folder (`features/<name>/`). A feature's page is
 * loaded on first visit (its own chunk); the nav shows the entries with a `nav` label. The
 * today board, engagement, scheduling and KPI screens are added here as their APIs land.
 */
export interface AppRoute {
  path: string;
  page: ComponentType;
  nav?: { label: string; icon: Icon; href: string; count?: 'worklists' | 'duplicates' };
}

const FindPatientPage = lazy(() => import('../features/find-patient/index.ts'));
const Patient360Page = lazy(() => import('../features/patient-360/index.ts'));
const WorklistsPage = lazy(() => import('../features/worklists/index.ts'));
const DuplicateReviewPage = lazy(() => import('../features/duplicate-review/index.ts'));
const JourneyMapPage = lazy(() => import('../features/journey-map/index.ts'));

export const routes: AppRoute[] = [
  { path: '/', page: FindPatientPage, nav: { label: 'Find a patient', icon: IconSearch, href: '/' } },
  { path: '/patients/:id', page: Patient360Page },
  {
    path: '/worklists/:name?',
    page: WorklistsPage,
    nav: { label: 'Worklists', icon: IconListCheck, href: '/worklists', count: 'worklists' },
  },
  {
    path: '/duplicates/:taskId?',
    page: DuplicateReviewPage,
    nav: { label: 'Duplicate review', icon: IconUsers, href: '/duplicates', count: 'duplicates' },
  },
  {
    path: '/journeys',
    page: JourneyMapPage,
    nav: { label: 'Journey map', icon: IconHeartbeat, href: '/journeys' },
  },
];

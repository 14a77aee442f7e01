import {
  IconCalendarEvent,
  IconChartBar,
  IconHeartbeat,
  IconListCheck,
  IconMicroscope,
  IconMessages,
  IconPlugConnected,
  IconRobot,
  IconSearch,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { lazy, type ComponentType } from 'react';

/**
 * The extension point: one entry per feature folder (`features/<name>/`). A feature's page is
 * loaded on first visit (its own chunk); the nav shows the entries with a `nav` label. The
 * today board, engagement, scheduling and KPI screens are added here as their APIs land.
 */
export interface AppRoute {
  path: string;
  page: ComponentType;
  nav?: {
    label: string;
    icon: Icon;
    href: string;
    count?: 'worklists' | 'duplicates';
    /** Shown only to roles granted this platform operation (`GET /api/me`). */
    operation?: string;
  };
}

const pages = {
  findPatient: () => import('../features/find-patient/index.ts'),
  patient360: () => import('../features/patient-360/index.ts'),
  worklists: () => import('../features/worklists/index.ts'),
  duplicateReview: () => import('../features/duplicate-review/index.ts'),
  journeyMap: () => import('../features/journey-map/index.ts'),
  todayBoard: () => import('../features/today-board/index.ts'),
  engagement: () => import('../features/engagement/index.ts'),
  kpis: () => import('../features/kpis/index.ts'),
  integration: () => import('../features/integration/index.ts'),
  automation: () => import('../features/automation/index.ts'),
  resultsReview: () => import('../features/results-review/index.ts'),
};
const FindPatientPage = lazy(pages.findPatient);
const Patient360Page = lazy(pages.patient360);
const WorklistsPage = lazy(pages.worklists);
const DuplicateReviewPage = lazy(pages.duplicateReview);
const JourneyMapPage = lazy(pages.journeyMap);
const TodayBoardPage = lazy(pages.todayBoard);
const EngagementPage = lazy(pages.engagement);
const KpisPage = lazy(pages.kpis);
const IntegrationPage = lazy(pages.integration);
const AutomationPage = lazy(pages.automation);
const ResultsReviewPage = lazy(pages.resultsReview);

/**
 * Starts loading the page of a URL at once, beside the session check, so the first load does
 * not wait for one and then the other (the module cache makes `lazy` find it loaded).
 */
export function preloadPage(path: string): void {
  const prefixes: [string, keyof typeof pages][] = [
    ['/patients/', 'patient360'],
    ['/worklists', 'worklists'],
    ['/duplicates', 'duplicateReview'],
    ['/journeys', 'journeyMap'],
    ['/today', 'todayBoard'],
    ['/engagement', 'engagement'],
    ['/kpis', 'kpis'],
    ['/integration', 'integration'],
    ['/automation', 'automation'],
    ['/results', 'resultsReview'],
  ];
  const found = prefixes.find(([prefix]) => path.startsWith(prefix));
  void pages[found?.[1] ?? 'findPatient']();
}

export const routes: AppRoute[] = [
  { path: '/', page: FindPatientPage, nav: { label: 'Find a patient', icon: IconSearch, href: '/' } },
  { path: '/patients/:id', page: Patient360Page },
  { path: '/today', page: TodayBoardPage, nav: { label: 'Today', icon: IconCalendarEvent, href: '/today' } },
  {
    path: '/worklists/:name?',
    page: WorklistsPage,
    nav: { label: 'Worklists', icon: IconListCheck, href: '/worklists', count: 'worklists' },
  },
  {
    path: '/results',
    page: ResultsReviewPage,
    nav: { label: 'Results to review', icon: IconMicroscope, href: '/results', operation: 'results-release' },
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
  {
    path: '/engagement',
    page: EngagementPage,
    nav: { label: 'Engagement', icon: IconMessages, href: '/engagement', operation: 'engagement-outbox' },
  },
  {
    path: '/kpis',
    page: KpisPage,
    nav: { label: 'KPIs', icon: IconChartBar, href: '/kpis', operation: 'analytics-kpis' },
  },
  {
    path: '/integration',
    page: IntegrationPage,
    nav: {
      label: 'Integration',
      icon: IconPlugConnected,
      href: '/integration',
      operation: 'integration-console',
    },
  },
  {
    path: '/automation',
    page: AutomationPage,
    nav: { label: 'Automation', icon: IconRobot, href: '/automation', operation: 'automation-rules' },
  },
];

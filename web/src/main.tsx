import '@mantine/core/styles.css';
import './app/app.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { reloadOnNewBuild } from './app/reload-on-new-build.ts';
import { theme } from './app/theme.ts';

// The patient portal (/portal) is its own app with its own shell, in its own chunk: neither app
// loads the other's code.
const PortalApp = lazy(() => import('./portal/index.ts'));
const Root = window.location.pathname.startsWith('/portal') ? PortalApp : App;

reloadOnNewBuild(window);

const queryClient = new QueryClient({
  defaultOptions: {
    // Patient data changes under the user (other staff, HL7 feeds): refetch on focus, retry
    // once, never on 4xx (a 403 will not turn into a 200 by asking again).
    queries: {
      staleTime: 30_000,
      retry: (count, error) => count < 1 && !('status' in error && Number(error.status) < 500),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <Suspense>
          <Root />
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

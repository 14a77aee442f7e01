// The staff web app's build (`web/dist`, served by the platform at `/`) and its dev server
// (`npm run dev:web`: hot reload, API calls proxied to a running platform).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm run dev:web` sends API calls: a platform started with `npm start`. */
const platform = process.env.THROUGHLINE_URL ?? 'http://localhost:8080';
const proxied = ['/api', '/fhir', '/auth', '/oauth2', '/healthz'];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every byte of first load counts (docs/benchmarks.md): pages and charts are split out.
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (/node_modules\/(recharts|d3-|victory|@mantine\/charts)/.test(id)) return 'charts';
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (/node_modules\/@mantine\//.test(id)) return 'mantine';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: platform, changeOrigin: false }])),
  },
});

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
    chunkSizeWarningLimit: 600,
    // No manual chunks: the bundler's own split keeps the chart library (half the JavaScript)
    // in the lazily loaded chart chunk; grouping vendors by hand pulled it into the first load.
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: platform, changeOrigin: false }])),
  },
});

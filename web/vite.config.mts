import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  resolve: {
    // csv-stringify's default build reads Node's Buffer when it loads; its browser build brings
    // its own. The unit tests (Node) keep the default one.
    alias: { 'csv-stringify/sync': 'csv-stringify/browser/esm/sync' },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
    },
  },
});

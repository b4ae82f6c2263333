// Vite build of the renderer (React UI): root is src-renderer/, output dist/renderer/ with relative asset URLs
// so the page loads from file:// (Electron) and from browser mode's HTTP server alike. No inline scripts (CSP).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Everything as files: the page is served with `script-src 'self'`, so nothing may be inlined as a data: URL script.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
  },
});

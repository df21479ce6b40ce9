import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the same build is served from studio://app/ (Electron) and from the server root.
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // ol is one large dependency; a warning about it says nothing actionable.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // core/ lives outside the Vite root; the renderer imports its pure modules and types.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web page, built into dist/web (served by the api at `/`). Everything is bundled into external files: the api's
 * Content-Security-Policy allows no inline script, so the module-preload polyfill (an inline helper) is off.
 */
export default defineConfig({
  root: webDir,
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});

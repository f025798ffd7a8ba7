import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompressDir } from './electron/transports/compression';

const root = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

/**
 * Libraries every screen needs, in chunks of their own: they change less often than the app, so a
 * browser keeps them across app updates. Only what the login page and the first screens load
 * ($initial); what only a lazily loaded screen uses (recharts and d3 for reports) stays with it.
 */
const VENDOR_CHUNKS = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/, tags: ['$initial' as const], priority: 3 },
  { name: 'mantine', test: /node_modules[\\/](@mantine|@floating-ui|clsx|react-remove-scroll|react-remove-scroll-bar|react-style-singleton|use-callback-ref|use-sidecar|get-nonce|tslib|react-number-format|react-textarea-autosize)[\\/]/, tags: ['$initial' as const], priority: 2 },
  { name: 'vendor', test: /node_modules[\\/](?!pdfjs-dist[\\/])/, tags: ['$initial' as const], priority: 1 },
];

/** Brotli and gzip copies beside each built file, which the browser host sends (electron/transports/http.ts). */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'clinic:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      lib: { entry: resolve(root, 'electron/main.ts') },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot load ES modules: one CommonJS file with nothing external.
      lib: { entry: resolve(root, 'electron/preload.ts'), formats: ['cjs'] },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // The About box shows it; the renderer has no other way to know without asking the main process.
    define: { __APP_VERSION__: JSON.stringify(version) },
    build: {
      // electron-vite leaves the renderer unminified; the browser host sends it over the wire.
      minify: true,
      // out/renderer/.vite/manifest.json: which chunks each entry loads (test/unit/renderer-build.test.ts reads it).
      manifest: true,
      // pdf.js alone is 1.7 MB minified, in the print page that Electron reads from disk.
      chunkSizeWarningLimit: 1800,
      rolldownOptions: {
        input: {
          index: resolve(root, 'renderer/index.html'),
          // The page the Electron spooler prints PDFs through (electron/print-window.ts).
          print: resolve(root, 'renderer/print.html'),
        },
        output: { codeSplitting: { groups: VENDOR_CHUNKS } },
      },
    },
    plugins: [react(), precompress()],
  },
});

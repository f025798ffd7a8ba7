import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

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
      rolldownOptions: {
        input: {
          index: resolve(root, 'renderer/index.html'),
          // The page the Electron spooler prints PDFs through (electron/print-window.ts).
          print: resolve(root, 'renderer/print.html'),
        },
      },
    },
    plugins: [react()],
  },
});

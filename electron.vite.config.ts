import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Runtime dependencies (better-sqlite3, kysely, ...) stay in node_modules and ship with the app.
      externalizeDeps: true,
      outDir: 'out/main',
      rollupOptions: {
        // The file parser runs in a worker thread: its entry is bundled as its own file.
        input: { index: resolve(__dirname, 'src/main/electron/main.ts'), 'parse-worker': resolve(__dirname, 'src/core/imports/parse/worker.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  preload: {
    // A sandboxed preload must be one CommonJS file with its imports bundled in.
    build: {
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: { outDir: 'out/renderer', rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
  },
});

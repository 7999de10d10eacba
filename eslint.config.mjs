import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net', 'zlib', 'stream', 'url', 'util'];
const NODE_LIBS = ['better-sqlite3', 'kysely', 'ws', 'pg', 'fastify', 'pino', 'xlsx', 'papaparse', 'nodemailer', 'pdfkit'];

/** The layer rules of DESIGN.md: each folder may import only what its environment allows. */
const restrict = (patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((p) =>
        p.startsWith('layer:') ? { regex: `^(\\.\\./)+(${p.slice(6)})(/|$)`, message } : { group: [p], message },
      ),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'dist-web/**', 'release/**', 'test-results/**', 'e2e/screenshots/**', '**/*.mjs', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(['electron', 'layer:main|core|renderer|server', ...NODE_BUILTINS, ...NODE_LIBS, 'react'], 'src/shared is pure TypeScript: no Node, DOM, Electron or other layers.'),
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(['electron', 'layer:main|renderer|server', 'react'], 'src/core runs in Node only and never imports Electron, main, renderer or server.'),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: restrict(['electron', 'layer:main|renderer', 'react'], 'The server uses core and shared only.'),
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: restrict(['electron', 'layer:renderer'], 'Only src/main/electron/ imports electron; main never imports the renderer.'),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...restrict(['electron', 'layer:main|core|server', ...NODE_BUILTINS, ...NODE_LIBS], 'The renderer imports shared code only: no Node, no Electron, no core.'),
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(['layer:main|core|renderer', ...NODE_BUILTINS], 'The preload exposes contract channels only.'),
  },
);

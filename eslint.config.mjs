import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net', 'zlib', 'stream', 'url', 'util', 'events', 'buffer', 'process', 'timers', 'tls', 'dns', 'module', 'v8', 'vm', 'readline'];
const NODE_LIBS = ['better-sqlite3', 'kysely', 'ws', 'pg', 'fastify', 'pino', 'xlsx', 'papaparse', 'nodemailer', 'pdfkit'];

const CORE_CLOCK = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Core never reads the machine's clock: use ctx.now / ctx.today (the command's business time) or an injected Clock." },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Core never reads the machine's clock: use ctx.now or an injected Clock." },
  { selector: 'CallExpression[callee.property.name=/^get(Hours|Minutes|Date|Day|Month|FullYear|TimezoneOffset)$/]', message: "Core never uses the machine's time zone: use the UTC getters or dateInZone(…, officeTimeZone)." },
];
const CORE_AUDIT = [{ selector: 'ImportSpecifier[imported.name=/^appendAudit/]', message: 'Commands write audit entries through ctx.audit / ctx.auditBatch (the one runner), never directly.' }];

/**
 * Dynamic imports (`await import('../core/…')`, `import('electron')`) are held to the same layer rules
 * as static ones: no-restricted-imports does not see them, so a syntax rule does.
 */
const dynamicImports = (layers, modules, message) => [
  ...(layers ? [{ selector: `ImportExpression[source.value=/^(\\.\\.\\/)+(${layers})(\\/|$)/]`, message }] : []),
  ...modules.map((m) => ({ selector: `ImportExpression[source.value=${m.endsWith('*') ? `/^${m.slice(0, -1).replace(/[/.]/g, '\\$&')}/` : `'${m}'`}]`, message })),
];
const SHARED_DYN = dynamicImports('main|core|renderer|server', ['electron', ...NODE_BUILTINS, ...NODE_LIBS, 'react'], 'src/shared is pure TypeScript: no Node, DOM, Electron or other layers.');
const CORE_DYN = dynamicImports('main|renderer|server', ['electron', 'react'], 'src/core runs in Node only and never imports Electron, main, renderer or server.');
const SERVER_DYN = dynamicImports('main|renderer', ['electron', 'react'], 'The server uses core and shared only.');
const MAIN_DYN = dynamicImports('renderer', ['electron'], 'Only src/main/electron/ imports electron; main never imports the renderer.');
const RENDERER_DYN = dynamicImports('main|core|server', ['electron', ...NODE_BUILTINS, ...NODE_LIBS], 'The renderer imports shared code only: no Node, no Electron, no core.');
const PRELOAD_DYN = dynamicImports('main|core|renderer', NODE_BUILTINS, 'The preload exposes contract channels only.');

/** The layer rules (docs/design.md): each folder may import only what its environment allows. */
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
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'dist-web/**', 'release/**', 'test-results/**', 'e2e/screenshots/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Type-aware rules where promises carry money and sync: a forgotten await loses an error.
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      ...restrict(['electron', 'layer:main|core|renderer|server', ...NODE_BUILTINS, ...NODE_LIBS, 'react'], 'src/shared is pure TypeScript: no Node, DOM, Electron or other layers.'),
      'no-restricted-syntax': ['error', ...SHARED_DYN],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...restrict(['electron', 'layer:main|renderer|server', 'react'], 'src/core runs in Node only and never imports Electron, main, renderer or server.'),
      'no-restricted-syntax': ['error', ...CORE_DYN],
    },
  },
  {
    // Issue 10: one command runner. Audit entries are written by the runner only, and core never
    // reads the machine's clock or zone: time comes from the command (ctx.now / ctx.today) or an
    // injected Clock. The few infrastructure exceptions say why in an eslint-disable comment.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CORE_DYN, ...CORE_CLOCK, ...CORE_AUDIT] },
  },
  {
    files: ['src/core/audit/**', 'src/core/commands/runner.ts', 'src/core/commands/require-role.ts', 'src/core/auth/sign-in.ts', 'src/core/demo/**'],
    ignores: ['src/core/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CORE_DYN, ...CORE_CLOCK] },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: { ...restrict(['electron', 'layer:main|renderer', 'react'], 'The server uses core and shared only.'), 'no-restricted-syntax': ['error', ...SERVER_DYN] },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: { ...restrict(['electron', 'layer:renderer'], 'Only src/main/electron/ imports electron; main never imports the renderer.'), 'no-restricted-syntax': ['error', ...MAIN_DYN] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...restrict(['electron', 'layer:main|core|server', ...NODE_BUILTINS, ...NODE_LIBS], 'The renderer imports shared code only: no Node, no Electron, no core.'),
      'no-restricted-syntax': ['error', ...RENDERER_DYN],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { ...restrict(['layer:main|core|renderer', ...NODE_BUILTINS], 'The preload exposes contract channels only.'), 'no-restricted-syntax': ['error', ...PRELOAD_DYN] },
  },
);

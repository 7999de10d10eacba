// Rebuild native modules (better-sqlite3) against Electron's ABI only on a developer's machine
// that actually has the Electron binary. CI and build machines without Electron keep the Node
// build that the tests and the browser host use.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const skip = process.env.CI || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || process.env.LEDGERDESK_SKIP_APP_DEPS;
if (skip) {
  console.log('[postinstall] skipping electron-builder install-app-deps (CI or no Electron binary)');
  process.exit(0);
}
let electronPath = '';
try {
  const require = createRequire(import.meta.url);
  electronPath = require('electron');
} catch {
  /* electron not installed */
}
if (!electronPath || !existsSync(electronPath)) {
  console.log('[postinstall] Electron binary not present; keeping the Node build of native modules');
  process.exit(0);
}
// Keep the Node build for tests, the CLI and the browser host (src/core/db/open-sqlite.ts loads it
// from .native/ when not running inside Electron), then rebuild node_modules' copy for Electron.
const nodeBuild = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
if (existsSync(nodeBuild)) {
  mkdirSync('.native/node', { recursive: true });
  copyFileSync(nodeBuild, '.native/node/better_sqlite3.node');
}
execSync('npx electron-builder install-app-deps', { stdio: 'inherit' });

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** The server account every end-to-end server starts with. */
export const SERVER_ADMIN = { username: 'admin', password: 'admin-password-1' } as const;

export interface E2eServer {
  url: string;
  proc: ChildProcess;
}

/**
 * Starts a real central server (SQLite, a fresh data folder, any free port) and resolves with the
 * address it printed. `env` adds or overrides variables (for example the administrator's name).
 */
export function startServer(opts: { prefix?: string; env?: Record<string, string> } = {}): Promise<E2eServer> {
  const dataDir = mkdtempSync(join(tmpdir(), opts.prefix ?? 'ledgerdesk-e2e-server-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      LEDGERDESK_ADMIN_USER: SERVER_ADMIN.username,
      LEDGERDESK_ADMIN_PASSWORD: SERVER_ADMIN.password,
      SIGNIN_PER_MINUTE: '1000',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ url: m[1]!, proc });
      }
    });
    proc.stderr!.on('data', (d) => (out += String(d)));
  });
}

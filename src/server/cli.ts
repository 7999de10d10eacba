import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { needsSetup, setupFirstAdmin } from '../core/auth/sign-in';
import { systemClock } from '../core/ledger-core';
import { buildServer } from './app';
import { openServerStore } from './db/open';

/**
 * `npm run server`: the central server. Environment:
 *   PORT (8787; 0 = any free port), HOST (0.0.0.0), DATA_DIR (./server-data: the SQLite database),
 *   DATABASE_URL (postgres://...: use PostgreSQL instead), TLS_CERT + TLS_KEY (PEM files: serve HTTPS),
 *   TRUST_PROXY=1 (behind a reverse proxy), TOKEN_TTL_MINUTES (720), LOG_LEVEL (info),
 *   LEDGERDESK_ADMIN_USER + LEDGERDESK_ADMIN_PASSWORD (create the first Admin on an empty server),
 *   SCHEDULE_EVERY_MS (900000: how often recurring payments are run here; 0 = never).
 */
async function main() {
  const env = process.env;
  const dataDir = resolve(env.DATA_DIR ?? 'server-data');
  const store = await openServerStore({ dataDir, databaseUrl: env.DATABASE_URL || undefined });
  if (env.LEDGERDESK_ADMIN_USER && env.LEDGERDESK_ADMIN_PASSWORD && (await needsSetup(store.core.db))) {
    await store.core.executor.serial(() =>
      setupFirstAdmin(store.core.db, systemClock, { username: env.LEDGERDESK_ADMIN_USER!, displayName: env.LEDGERDESK_ADMIN_NAME ?? 'Administrator', password: env.LEDGERDESK_ADMIN_PASSWORD! }),
    );
  }
  const https = env.TLS_CERT && env.TLS_KEY ? { cert: readFileSync(env.TLS_CERT), key: readFileSync(env.TLS_KEY) } : undefined;
  const server = await buildServer(store, {
    logLevel: env.LOG_LEVEL ?? 'info',
    https,
    tokenTtlMinutes: env.TOKEN_TTL_MINUTES ? Number(env.TOKEN_TTL_MINUTES) : undefined,
    signInPerMinute: env.SIGNIN_PER_MINUTE ? Number(env.SIGNIN_PER_MINUTE) : undefined,
    trustProxy: env.TRUST_PROXY === '1',
    scheduleEveryMs: env.SCHEDULE_EVERY_MS !== undefined ? Number(env.SCHEDULE_EVERY_MS) : undefined,
  });
  const address = await server.app.listen({ port: Number(env.PORT ?? 8787), host: env.HOST ?? '0.0.0.0' });
  // One plain line tests and scripts can read (the JSON logs go to the same stream).
  process.stdout.write(`Ledgerdesk server listening on ${address} (${store.describe})\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Operations verbs (src/server/ops/): `npm run server -- copy-to-postgres …`, `… compact-changes --keep N`.
if (process.argv[2] === 'copy-to-postgres') {
  void import('./ops/copy-to-postgres').then(async (m) => process.exit(await m.copyToPostgresCli(process.argv.slice(3))));
} else if (process.argv[2] === 'compact-changes') {
  void import('./ops/compact-changes').then(async (m) => process.exit(await m.compactChangesCli(process.argv.slice(3))));
} else {
  main().catch((e) => {
    console.error('[ledgerdesk-server] failed to start:', e);
    process.exit(1);
  });
}

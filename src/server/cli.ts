import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkAuditAtStart } from '../core/audit/audit-startup';
import { needsSetup, setupFirstAdmin } from '../core/auth/sign-in';
import { systemClock } from '../core/ledger-core';
import { isLoopbackHost } from '../shared/server-address';
import { buildServer } from './app';
import { clockFromEnv } from './clock-from-env';
import { openServerStore } from './db/open';
import { stripeConfigFromEnv, stripeGateway } from './gateway/stripe';

/**
 * `npm run server`: the central server. Environment:
 *   PORT (8787; 0 = any free port), HOST (127.0.0.1: this machine only), DATA_DIR (./server-data: the SQLite database),
 *   DATABASE_URL (postgres://...: use PostgreSQL instead), TLS_CERT + TLS_KEY (PEM files: serve HTTPS),
 *   ALLOW_HTTP=1 (serve plain HTTP on a non-loopback HOST: only behind a reverse proxy that ends TLS),
 *   TRUST_PROXY=1 (behind a reverse proxy), TOKEN_TTL_MINUTES (720), LOG_LEVEL (info),
 *   LEDGERDESK_CLOCK_FILE (tests only: milliseconds the clock runs ahead, see clock-from-env.ts),
 *   MAX_EVENT_STREAMS_PER_TOKEN (4), UPLOAD_QUOTA_MB (200: unfinished uploads per user),
 *   LEDGERDESK_ADMIN_USER + LEDGERDESK_ADMIN_PASSWORD (create the first Admin on an empty server),
 *   SCHEDULE_EVERY_MS (900000: how often recurring payments are run here; 0 = never),
 *   AUDIT_KEY_FILE (DATA_DIR/audit.key: the key that seals the audit chain; made at first start).
 *   PUBLIC_URL (https://pay.example.org: where payers reach this server's payment-link pages; unset = no links),
 *   STRIPE_SECRET_KEY + STRIPE_WEBHOOK_SECRET (card payments through Stripe Checkout; unset = the page says how to pay
 *   by check or transfer), STRIPE_API_BASE (http://127.0.0.1:PORT: a local stand-in for Stripe's API, for tests),
 *   PAY_PAGES_PER_MINUTE (60: payer page requests per address per minute).
 *   UPDATES_DIR (a folder of desktop release files served as the update feed at /v1/updates/; README "Publishing a desktop release").
 */
/** A PEM file, refused before reading when it is not a small regular file. */
function readPem(path: string, what: string): Buffer {
  const st = statSync(path);
  if (!st.isFile() || st.size > 1024 * 1024) throw new Error(`${what} (${path}) is not a PEM file of at most 1 MB.`);
  return readFileSync(path);
}

function paymentLinkOptions(env: NodeJS.ProcessEnv) {
  const stripe = stripeConfigFromEnv(env);
  let publicUrl: string | null = null;
  if (env.PUBLIC_URL) {
    const u = new URL(env.PUBLIC_URL);
    if (u.protocol !== 'https:' && !isLoopbackHost(u.hostname)) console.warn(`[ledgerdesk-server] PUBLIC_URL ${u.origin} is not https: payers' browsers will send their payment details in the clear to it.`);
    publicUrl = u.origin + u.pathname.replace(/\/+$/, '');
  }
  return { publicUrl, gateway: stripe ? stripeGateway(stripe) : null, perMinute: env.PAY_PAGES_PER_MINUTE ? Number(env.PAY_PAGES_PER_MINUTE) : undefined };
}

async function main() {
  const env = process.env;
  const host = env.HOST || '127.0.0.1';
  const tls = !!(env.TLS_CERT && env.TLS_KEY);
  // Passwords and tokens travel to the server: plain HTTP only on this machine, or when a proxy ends TLS.
  if (!tls && !isLoopbackHost(host) && env.ALLOW_HTTP !== '1') {
    console.error(
      `[ledgerdesk-server] refusing to serve plain HTTP on ${host}: set TLS_CERT and TLS_KEY, or ALLOW_HTTP=1 when a reverse proxy in front of this server ends TLS (see README, Security).`,
    );
    process.exit(2);
  }
  const dataDir = resolve(env.DATA_DIR ?? 'server-data');
  const store = await openServerStore({ dataDir, databaseUrl: env.DATABASE_URL || undefined, clock: clockFromEnv(env) });
  if (env.LEDGERDESK_ADMIN_USER && env.LEDGERDESK_ADMIN_PASSWORD && (await needsSetup(store.core.db))) {
    await store.core.executor.serial(() =>
      setupFirstAdmin(store.core.db, systemClock, { username: env.LEDGERDESK_ADMIN_USER!, displayName: env.LEDGERDESK_ADMIN_NAME ?? 'Administrator', password: env.LEDGERDESK_ADMIN_PASSWORD! }),
    );
  }
  // The audit chain is checked at every start; a failure is raised to Admins, the server still serves.
  const audit = await store.core.executor.serial(() => checkAuditAtStart(store.core.db, systemClock.now().toISOString(), 'server'));
  if (!audit.ok) console.error(`[ledgerdesk-server] SECURITY: the audit log does not verify: ${audit.reason}. Raised to Admins as a security alert.`);
  const https = tls ? { cert: readPem(env.TLS_CERT!, 'TLS_CERT'), key: readPem(env.TLS_KEY!, 'TLS_KEY') } : undefined;
  const server = await buildServer(store, {
    logLevel: env.LOG_LEVEL ?? 'info',
    https,
    tokenTtlMinutes: env.TOKEN_TTL_MINUTES ? Number(env.TOKEN_TTL_MINUTES) : undefined,
    signInPerMinute: env.SIGNIN_PER_MINUTE ? Number(env.SIGNIN_PER_MINUTE) : undefined,
    trustProxy: env.TRUST_PROXY === '1',
    scheduleEveryMs: env.SCHEDULE_EVERY_MS !== undefined ? Number(env.SCHEDULE_EVERY_MS) : undefined,
    maxEventStreamsPerToken: env.MAX_EVENT_STREAMS_PER_TOKEN ? Number(env.MAX_EVENT_STREAMS_PER_TOKEN) : undefined,
    uploadQuotaBytes: env.UPLOAD_QUOTA_MB ? Number(env.UPLOAD_QUOTA_MB) * 1024 * 1024 : undefined,
    paymentLinks: paymentLinkOptions(env),
    updatesDir: env.UPDATES_DIR ? resolve(env.UPDATES_DIR) : undefined,
  });
  const address = await server.app.listen({ port: Number(env.PORT ?? 8787), host });
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

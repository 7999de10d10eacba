import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { ServerAuth } from './auth';
import type { ServerStore } from './db/open';
import { ServerFiles } from './files';
import { publishPaymentLinkSettings, type PaymentLinkOptions } from './payment-links';
import { startScheduler, type Scheduler } from './scheduler';
import { authed, sendError, type RouteContext } from './routes/context';
import { requireDesk } from './clients';
import { setUpHttp } from './routes/http-setup';
import { healthRoutes } from './routes/health';
import { updateRoutes } from './routes/updates';
import { authRoutes } from './routes/auth';
import { clientRoutes } from './routes/clients';
import { seedRoutes } from './routes/seed';
import { syncRoutes } from './routes/sync';
import { eventRoutes } from './routes/events';
import { auditRoutes } from './routes/audit';
import { fileRoutes } from './routes/files';
import { paymentLinkRoutes } from './routes/payment-links';

export interface ServerOptions {
  logLevel?: string;
  https?: { key: Buffer; cert: Buffer };
  tokenTtlMinutes?: number;
  signInPerMinute?: number;
  pushBodyLimit?: number;
  trustProxy?: boolean;
  /** How often scheduled work (recurring payments) runs; 0 turns the scheduler off. Default 15 minutes. */
  scheduleEveryMs?: number;
  /** Open event streams one token may hold (a desk needs one). */
  maxEventStreamsPerToken?: number;
  /** Unfinished upload bytes one user may hold. */
  uploadQuotaBytes?: number;
  /** Payer pages and the gateway (PUBLIC_URL, STRIPE_*): see src/server/payment-links.ts. */
  paymentLinks?: PaymentLinkOptions;
  /** The folder of desktop release files served as the update feed (src/server/updates.ts); unset: no feed. */
  updatesDir?: string;
}

/** PostgreSQL: every server process hears every other's commits (NOTIFY is sent at commit). */
async function listenForCommits(store: ServerStore, announce: (seq: number) => void, log: Logger): Promise<pg.Client | null> {
  if (store.dialect !== 'postgres' || !store.pool) return null;
  const listener = new pg.Client({ connectionString: (store.pool as unknown as { options: { connectionString: string } }).options.connectionString });
  await listener.connect();
  listener.on('notification', (n) => announce(Number(n.payload ?? 0)));
  listener.on('error', (e) => log.warn({ err: e }, 'change listener lost'));
  await listener.query('LISTEN ledgerdesk_changes');
  return listener;
}

/**
 * The central server's HTTP API (see docs/sync.md for the protocol): the shared hooks
 * (routes/http-setup.ts), then one Fastify plugin per area (src/server/routes/).
 */
export async function buildServer(store: ServerStore, opts: ServerOptions = {}): Promise<{ app: FastifyInstance; changes: EventEmitter; scheduler: Scheduler | null; stop(): Promise<void> }> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info', redact: ['req.headers.authorization'] },
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    ...(opts.https ? { https: opts.https } : {}),
  } as never) as unknown as FastifyInstance;
  const log = app.log as unknown as Logger;
  const auth = new ServerAuth(store, {
    tokenTtlMinutes: opts.tokenTtlMinutes ?? 12 * 60,
    signInPerMinute: opts.signInPerMinute ?? 10,
    onError: (e) => log.warn({ err: e }, 'could not keep a sign-in delay'),
  });
  await auth.load();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const openStreams = new Set<ServerResponse>();
  let lastSeq = 0;
  const announce = (seq: number) => {
    if (seq > lastSeq) lastSeq = seq;
    changes.emit('changes', seq);
  };
  const listener = await listenForCommits(store, announce, log);
  const paymentLinks = opts.paymentLinks ?? { publicUrl: null, gateway: null };
  const ctx: RouteContext = {
    store,
    auth,
    files: new ServerFiles(store, opts.uploadQuotaBytes),
    log,
    announce,
    lastSeq: () => lastSeq,
    changes,
    openStreams,
    limits: { pushBodyLimit: opts.pushBodyLimit, maxEventStreamsPerToken: opts.maxEventStreamsPerToken },
    paymentLinks,
    updatesDir: opts.updatesDir,
  };

  setUpHttp(app, ctx);
  // Data routes refuse a revoked desk's credential, and a desk-bound sign-in without it (src/server/clients.ts).
  app.addHook('preHandler', async (req, reply) => {
    try {
      await requireDesk(store, req.url, () => authed(ctx, req), req.headers);
    } catch (e) {
      return sendError(reply, e, req.log as unknown as Logger);
    }
  });
  for (const routes of [healthRoutes, updateRoutes, authRoutes, clientRoutes, seedRoutes, syncRoutes, eventRoutes, auditRoutes, fileRoutes, paymentLinkRoutes]) await app.register(routes(ctx));
  await publishPaymentLinkSettings(store, paymentLinks, announce);

  const scheduler = opts.scheduleEveryMs === 0 ? null : startScheduler(store, announce, log, opts.scheduleEveryMs);

  return {
    app,
    changes,
    scheduler,
    stop: async () => {
      scheduler?.stop();
      for (const r of openStreams) r.end();
      openStreams.clear();
      await app.close();
      if (listener) await listener.end().catch(() => undefined);
    },
  };
}

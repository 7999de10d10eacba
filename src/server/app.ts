import { EventEmitter } from 'node:events';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { zodToAppError } from '../core/commands/zod-error';
import { registerClientRequest, renameClientRequest } from '../core/sync/device-protocol';
import {
  auditPushRequest,
  CHUNK_BYTES,
  pushRequest,
  sha256Hex,
  signInRequest,
} from '../core/sync/protocol';
import { AppFailure, type ErrorCode } from '../shared/result';
import { ServerAuth, type AuthedUser } from './auth';
import { clientRecord, listClients, registerClient, renameClient, requireDesk, requireDevice, revokeClient } from './clients';
import type { ServerStore } from './db/open';
import { assertMayReadFile } from './file-access';
import { ServerFiles } from './files';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';
import { receiveAudit } from './audit';
import { pullPage, snapshot, type ReadRouteDeps } from './pull';
import { runPush } from './push';
import { applySeed, commitSeed, putSeedPiece, seedCommitRequest, seedPieceRequest, seedPieces, seedRequest, seedStatus } from './seed';
import { publishPaymentLinkSettings, registerPaymentLinkRoutes, type PaymentLinkOptions } from './payment-links';
import { registerUpdateFeed } from './updates';
import { startScheduler, type Scheduler } from './scheduler';

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

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED_OUT: 423,
  PERIOD_CLOSED: 409,
  LIMIT: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

function send(reply: FastifyReply, e: unknown, log: Logger) {
  if (e instanceof AppFailure) return reply.code(STATUS[e.code] ?? 400).send({ ok: false, error: e.toError() });
  log.error({ err: e }, 'internal error');
  return reply.code(500).send({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on the server; nothing was saved.' } });
}

function parse<S extends z.ZodType>(schema: S, v: unknown): z.output<S> {
  const r = schema.safeParse(v);
  if (!r.success) {
    const e = zodToAppError(r.error);
    throw new AppFailure('VALIDATION', e.message, e.details);
  }
  return r.data;
}

const shaParam = z.object({ sha: sha256Hex }).strict();

/** The central server's HTTP API (see docs/sync.md for the protocol). */
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
  const files = new ServerFiles(store, opts.uploadQuotaBytes);
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  // Open push-notice streams: ended on stop, or app.close() would wait for them forever.
  const openStreams = new Set<import('node:http').ServerResponse>();
  let lastSeq = 0;
  const announce = (seq: number) => {
    if (seq > lastSeq) lastSeq = seq;
    changes.emit('changes', seq);
  };

  // PostgreSQL: every server process hears every other's commits (NOTIFY is sent at commit).
  let listener: pg.Client | null = null;
  if (store.dialect === 'postgres' && store.pool) {
    listener = new pg.Client({ connectionString: (store.pool as unknown as { options: { connectionString: string } }).options.connectionString });
    await listener.connect();
    listener.on('notification', (n) => announce(Number(n.payload ?? 0)));
    listener.on('error', (e) => log.warn({ err: e }, 'change listener lost'));
    await listener.query('LISTEN ledgerdesk_changes');
  }

  // JSON nested past any real request is refused with a 400 before it is parsed.
  const jsonParser = app.getDefaultJsonParser('error', 'ignore');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && jsonDepthExceeds(body)) {
      const e = new AppFailure('VALIDATION', `The request nests deeper than ${MAX_JSON_DEPTH} levels.`);
      return done(e as unknown as Error, undefined);
    }
    return jsonParser(req, String(body), done);
  });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK_BYTES + 1024 }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    if (error instanceof AppFailure) return send(reply, error, log);
    if (error.statusCode === 413) return reply.code(413).send({ ok: false, error: { code: 'LIMIT', message: 'The request is too large.' } });
    if (error.statusCode === 415) return reply.code(415).send({ ok: false, error: { code: 'VALIDATION', message: 'Unsupported content type: send application/json.' } });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(400).send({ ok: false, error: { code: 'VALIDATION', message: `Malformed request: ${error.message}` } });
    }
    return send(reply, error, log);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: `No such endpoint: ${req.method} ${req.url.split('?')[0]}` } }));

  const authed = async (req: FastifyRequest): Promise<AuthedUser> => auth.authenticate(req.headers.authorization);
  // Data routes refuse a revoked desk's credential, and a desk-bound sign-in without it (src/server/clients.ts).
  app.addHook('preHandler', async (req, reply) => {
    try {
      await requireDesk(store, req.url, () => authed(req), req.headers);
    } catch (e) {
      return send(reply, e, req.log as unknown as Logger);
    }
  });
  const handle =
    <T>(fn: (req: FastifyRequest, reply: FastifyReply) => Promise<T>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const v = await fn(req, reply);
        if (reply.sent) return reply;
        return reply.send(v);
      } catch (e) {
        return send(reply, e, req.log as unknown as Logger);
      }
    };

  app.get('/health', async () => ({ ok: true }));
  registerUpdateFeed(app, opts.updatesDir);
  app.get('/ready', async (_req, reply) => {
    try {
      await store.db.selectFrom('server_migrations').select('name').limit(1).execute();
      return { ok: true, database: store.dialect };
    } catch {
      return reply.code(503).send({ ok: false, error: { code: 'UNAVAILABLE', message: 'The database is not reachable.' } });
    }
  });

  app.post(
    '/v1/auth/sign-in',
    handle(async (req) => {
      const body = parse(signInRequest, req.body);
      // Per address only: a limit per user name would let anyone keep that user out.
      auth.rateLimit(`ip:${req.ip}`);
      const r = await auth.signIn(body.username, body.password, body.clientId, `ip:${req.ip}`, req.headers);
      req.log.info({ userId: r.user.id, clientId: body.clientId }, 'signed in');
      return r;
    }),
  );
  app.post(
    '/v1/auth/sign-out',
    handle(async (req) => {
      const u = await authed(req);
      await auth.revokeToken(u.tokenHash);
      return { ok: true };
    }),
  );
  app.post(
    '/v1/auth/revoke',
    handle(async (req) => {
      const u = await authed(req);
      if (u.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only an administrator may revoke sign-ins.');
      const { userId } = parse(z.object({ userId: z.string().min(1).max(100) }).strict(), req.body);
      return { revoked: await auth.revokeUser(userId) };
    }),
  );
  app.get(
    '/v1/auth/me',
    handle(async (req) => {
      const u = await authed(req);
      return { userId: u.userId, username: u.username, role: u.role };
    }),
  );

  app.post(
    '/v1/clients/register',
    handle(async (req) => {
      const u = await authed(req);
      const body = parse(registerClientRequest, req.body ?? {});
      const r = await registerClient(store, u, () => store.core.clock.now(), body, req.headers);
      req.log.info({ clientId: r.clientId, userId: u.userId, label: body.label }, 'desk registered');
      return r;
    }),
  );
  // The Admin's list of desks, and revoking one (src/server/clients.ts).
  app.get(
    '/v1/clients',
    handle(async (req) => {
      const u = await authed(req);
      if (u.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only an administrator may list the desks.');
      return listClients(store.db);
    }),
  );
  app.post(
    '/v1/clients/:clientId/revoke',
    handle(async (req) => {
      const u = await authed(req);
      const { clientId } = parse(z.object({ clientId: z.string().min(1).max(100) }).strict(), req.params);
      const revoked = await revokeClient(store, u, clientId);
      req.log.info({ clientId, by: u.userId }, 'desk revoked');
      return { revoked };
    }),
  );
  app.post(
    '/v1/clients/:clientId/name',
    handle(async (req) => {
      const u = await authed(req);
      const { clientId } = parse(z.object({ clientId: z.string().min(1).max(100) }).strict(), req.params);
      await renameClient(store, u, clientId, parse(renameClientRequest, req.body));
      return { ok: true };
    }),
  );
  app.get(
    '/v1/clients/:clientId',
    handle(async (req) => {
      await authed(req);
      const { clientId } = parse(z.object({ clientId: z.string().min(1).max(100) }).strict(), req.params);
      await requireDevice(store.db, clientId, req.headers);
      return clientRecord(store.db, clientId);
    }),
  );

  // Seeding an empty server from a standalone desk (issue 13, src/server/seed.ts): Admins only.
  app.get(
    '/v1/seed/status',
    handle(async (req) => {
      const u = await authed(req);
      if (u.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only a server administrator may join a desk that holds its own ledger.');
      return seedStatus(store);
    }),
  );
  app.post(
    '/v1/seed',
    { bodyLimit: opts.pushBodyLimit ? Math.max(opts.pushBodyLimit, 256 * 1024 * 1024) : 256 * 1024 * 1024 },
    handle(async (req) => {
      const u = await authed(req);
      if (u.role !== 'admin') throw new AppFailure('FORBIDDEN', 'Only a server administrator may seed the server from a desk.');
      const r = await applySeed(store, u, parse(seedRequest, req.body));
      req.log.info({ userId: u.userId, tables: r.totals.length, cursor: r.cursor }, 'seeded from a desk');
      announce(r.cursor);
      return r;
    }),
  );

  // The seed in pieces, then one commit (src/server/seed.ts).
  app.post(
    '/v1/seed/pieces',
    { bodyLimit: 64 * 1024 * 1024 },
    handle(async (req) => putSeedPiece(store, await authed(req), parse(seedPieceRequest, req.body))),
  );
  app.get(
    '/v1/seed/pieces',
    handle(async (req) => seedPieces(store, await authed(req), String((req.query as { seedId?: string }).seedId ?? ''))),
  );
  app.post(
    '/v1/seed/commit',
    handle(async (req) => {
      const u = await authed(req);
      const r = await commitSeed(store, u, parse(seedCommitRequest, req.body));
      req.log.info({ userId: u.userId, tables: r.totals.length, cursor: r.cursor }, 'seeded from a desk (pieces)');
      announce(r.cursor);
      return r;
    }),
  );

  app.post(
    '/v1/sync/push',
    { bodyLimit: opts.pushBodyLimit ?? 32 * 1024 * 1024 },
    handle(async (req) => {
      const u = await authed(req);
      const body = parse(pushRequest, req.body);
      // Only the desk that owns this client id may move its sequence (issue 13, observation 5).
      await requireDevice(store.db, body.clientId, req.headers);
      // A password reset, role change or deactivation ends that user's server sign-ins at once.
      const touched = body.commands.filter((c) => c.name.startsWith('users.')).map((c) => (c.input as { userId?: unknown } | null)?.userId).filter((id): id is string => typeof id === 'string');
      const before = await auth.credentialStamps(touched);
      const result = await runPush(store, u, body.clientId, body.commands, req.log as unknown as Logger, announce);
      const after = await auth.credentialStamps(touched);
      for (const [userId, stamp] of before) if (after.get(userId) !== stamp) await auth.revokeUser(userId);
      return result;
    }),
  );

  // Pull and snapshot, scoped by role (src/server/pull.ts).
  const readDeps: ReadRouteDeps = { store, role: async (req) => (await authed(req)).role, parse };
  app.get('/v1/sync/pull', handle((req, reply) => pullPage(readDeps, req, reply)));
  app.get('/v1/sync/snapshot', handle((req, reply) => snapshot(readDeps, req, reply)));

  // Open event streams per token: one desk needs one; a token cannot hold hundreds of sockets.
  const streams = new Map<string, number>();
  const maxStreams = opts.maxEventStreamsPerToken ?? 4;
  app.get('/v1/sync/events', async (req, reply) => {
    let u: AuthedUser;
    try {
      u = await authed(req);
      if ((streams.get(u.tokenHash) ?? 0) >= maxStreams) {
        throw new AppFailure('LIMIT', `This sign-in already has ${maxStreams} open event streams; close one first.`, { maxStreams });
      }
    } catch (e) {
      return send(reply, e, log);
    }
    streams.set(u.tokenHash, (streams.get(u.tokenHash) ?? 0) + 1);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    reply.raw.write(`event: hello\ndata: ${JSON.stringify({ seq: lastSeq })}\n\n`);
    const on = (seq: number) => reply.raw.write(`event: changes\ndata: ${JSON.stringify({ seq })}\n\n`);
    changes.on('changes', on);
    const beat = setInterval(() => reply.raw.write(': keep-alive\n\n'), 20_000);
    openStreams.add(reply.raw);
    req.raw.on('close', () => {
      clearInterval(beat);
      changes.off('changes', on);
      openStreams.delete(reply.raw);
      const n = (streams.get(u.tokenHash) ?? 1) - 1;
      if (n > 0) streams.set(u.tokenHash, n);
      else streams.delete(u.tokenHash);
    });
  });

  app.post(
    '/v1/audit/push',
    { bodyLimit: 16 * 1024 * 1024 },
    handle(async (req) => {
      const u = await authed(req);
      const body = parse(auditPushRequest, req.body);
      // Only the desk that owns this client id may push into its chain (issue 13).
      await requireDevice(store.db, body.clientId, req.headers);
      return receiveAudit(store, u, body, req.log as unknown as Logger);
    }),
  );

  app.get(
    '/v1/files/:sha/status',
    handle(async (req) => {
      await authed(req);
      const { sha } = parse(shaParam, req.params);
      return files.status(sha);
    }),
  );
  app.post(
    '/v1/files/:sha',
    handle(async (req) => {
      const u = await authed(req);
      const { sha } = parse(shaParam, req.params);
      const b = parse(z.object({ sizeBytes: z.number().int().min(0).max(2 ** 40), fileName: z.string().min(1).max(300) }).strict(), req.body);
      await files.begin(sha, b.sizeBytes, b.fileName, u.userId);
      return files.status(sha);
    }),
  );
  app.put(
    '/v1/files/:sha/chunks/:idx',
    handle(async (req) => {
      await authed(req);
      const p = parse(z.object({ sha: sha256Hex, idx: z.coerce.number().int().min(0) }).strict(), req.params);
      const chunkSha = parse(sha256Hex, req.headers['x-chunk-sha256']);
      if (!Buffer.isBuffer(req.body)) throw new AppFailure('VALIDATION', 'Send the chunk as application/octet-stream.');
      await files.putChunk(p.sha, p.idx, req.body, chunkSha);
      return { ok: true };
    }),
  );
  app.post(
    '/v1/files/:sha/complete',
    handle(async (req) => {
      await authed(req);
      const { sha } = parse(shaParam, req.params);
      await files.complete(sha);
      announce(lastSeq + 1);
      return files.status(sha);
    }),
  );
  app.get(
    '/v1/files/:sha',
    handle(async (req, reply) => {
      const u = await authed(req);
      const { sha } = parse(shaParam, req.params);
      await assertMayReadFile(store, u.role, sha);
      const size = await files.size(sha);
      if (size === null) throw new AppFailure('NOT_FOUND', 'The server does not have this file.', { sha256: sha });
      const { Readable } = await import('node:stream');
      return reply.type('application/octet-stream').header('content-length', size).header('x-sha256', sha).send(Readable.from(files.read(sha)));
    }),
  );

  // One-time payment links: public payer pages and the gateway's webhook (issue 14 item 4).
  await registerPaymentLinkRoutes(app, store, opts.paymentLinks ?? { publicUrl: null, gateway: null }, announce);
  await publishPaymentLinkSettings(store, opts.paymentLinks ?? { publicUrl: null, gateway: null }, announce);

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

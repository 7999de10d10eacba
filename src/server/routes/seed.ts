import type { FastifyPluginAsync } from 'fastify';
import { applySeed, commitSeed, putSeedPiece, seedCommitRequest, seedPieceRequest, seedPieces, seedRequest, seedStatus } from '../seed';
import { authed, handle, parse, requireAdmin, type RouteContext } from './context';

const SEED_BODY_LIMIT = 256 * 1024 * 1024;

/** Seeding an empty server from a standalone desk (issue 13, src/server/seed.ts): Admins only. */
export const seedRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    const { store } = ctx;
    app.get(
      '/v1/seed/status',
      handle(async (req) => {
        requireAdmin(await authed(ctx, req), 'Only a server administrator may join a desk that holds its own ledger.');
        return seedStatus(store);
      }),
    );
    app.post(
      '/v1/seed',
      { bodyLimit: Math.max(ctx.limits.pushBodyLimit ?? 0, SEED_BODY_LIMIT) },
      handle(async (req) => {
        const u = await authed(ctx, req);
        requireAdmin(u, 'Only a server administrator may seed the server from a desk.');
        const r = await applySeed(store, u, parse(seedRequest, req.body));
        req.log.info({ userId: u.userId, tables: r.totals.length, cursor: r.cursor }, 'seeded from a desk');
        ctx.announce(r.cursor);
        return r;
      }),
    );
    // The seed in pieces, then one commit (src/server/seed.ts).
    app.post(
      '/v1/seed/pieces',
      { bodyLimit: 64 * 1024 * 1024 },
      handle(async (req) => putSeedPiece(store, await authed(ctx, req), parse(seedPieceRequest, req.body))),
    );
    app.get(
      '/v1/seed/pieces',
      handle(async (req) => seedPieces(store, await authed(ctx, req), String((req.query as { seedId?: string }).seedId ?? ''))),
    );
    app.post(
      '/v1/seed/commit',
      handle(async (req) => {
        const u = await authed(ctx, req);
        const r = await commitSeed(store, u, parse(seedCommitRequest, req.body));
        req.log.info({ userId: u.userId, tables: r.totals.length, cursor: r.cursor }, 'seeded from a desk (pieces)');
        ctx.announce(r.cursor);
        return r;
      }),
    );
  };

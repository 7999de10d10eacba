import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { pushRequest } from '../../core/sync/protocol';
import { requireDevice } from '../clients';
import { pullPage, snapshot, type ReadRouteDeps } from '../pull';
import { runPush } from '../push';
import { authed, handle, parse, type RouteContext } from './context';

/** Push (src/server/push.ts), and pull and snapshot scoped by role (src/server/pull.ts). */
export const syncRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    const { store, auth } = ctx;
    app.post(
      '/v1/sync/push',
      { bodyLimit: ctx.limits.pushBodyLimit ?? 32 * 1024 * 1024 },
      handle(async (req) => {
        const u = await authed(ctx, req);
        const body = parse(pushRequest, req.body);
        // Only the desk that owns this client id may move its sequence (issue 13, observation 5).
        await requireDevice(store.db, body.clientId, req.headers);
        // A password reset, role change or deactivation ends that user's server sign-ins at once.
        const touched = body.commands
          .filter((c) => c.name.startsWith('users.'))
          .map((c) => (c.input as { userId?: unknown } | null)?.userId)
          .filter((id): id is string => typeof id === 'string');
        const before = await auth.credentialStamps(touched);
        const result = await runPush(store, u, body.clientId, body.commands, req.log as unknown as Logger, ctx.announce);
        const after = await auth.credentialStamps(touched);
        for (const [userId, stamp] of before) if (after.get(userId) !== stamp) await auth.revokeUser(userId);
        return result;
      }),
    );

    const readDeps: ReadRouteDeps = { store, role: async (req) => (await authed(ctx, req)).role, parse };
    app.get('/v1/sync/pull', handle((req, reply) => pullPage(readDeps, req, reply)));
    app.get('/v1/sync/snapshot', handle((req, reply) => snapshot(readDeps, req, reply)));
  };

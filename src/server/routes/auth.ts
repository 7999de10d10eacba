import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { signInRequest } from '../../core/sync/protocol';
import { authed, handle, parse, requireAdmin, type RouteContext } from './context';

/** Sign-in, sign-out, revoking a user's sign-ins, and who am I. */
export const authRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    const { auth } = ctx;
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
        const u = await authed(ctx, req);
        await auth.revokeToken(u.tokenHash);
        return { ok: true };
      }),
    );
    app.post(
      '/v1/auth/revoke',
      handle(async (req) => {
        const u = await authed(ctx, req);
        requireAdmin(u, 'Only an administrator may revoke sign-ins.');
        const { userId } = parse(z.object({ userId: z.string().min(1).max(100) }).strict(), req.body);
        return { revoked: await auth.revokeUser(userId) };
      }),
    );
    app.get(
      '/v1/auth/me',
      handle(async (req) => {
        const u = await authed(ctx, req);
        return { userId: u.userId, username: u.username, role: u.role };
      }),
    );
  };

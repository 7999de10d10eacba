import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from './context';

/** Liveness (`/health`) and readiness (`/ready`: the database answers). */
export const healthRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/health', async () => ({ ok: true }));
    app.get('/ready', async (_req, reply) => {
      try {
        await ctx.store.db.selectFrom('server_migrations').select('name').limit(1).execute();
        return { ok: true, database: ctx.store.dialect };
      } catch {
        return reply.code(503).send({ ok: false, error: { code: 'UNAVAILABLE', message: 'The database is not reachable.' } });
      }
    });
  };

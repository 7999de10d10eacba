import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { auditPushRequest } from '../../core/sync/protocol';
import { receiveAudit } from '../audit';
import { requireDevice } from '../clients';
import { authed, handle, parse, type RouteContext } from './context';

/** A desk's audit chain arriving (src/server/audit.ts verifies every link). */
export const auditRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    app.post(
      '/v1/audit/push',
      { bodyLimit: 16 * 1024 * 1024 },
      handle(async (req) => {
        const u = await authed(ctx, req);
        const body = parse(auditPushRequest, req.body);
        // Only the desk that owns this client id may push into its chain (issue 13).
        await requireDevice(ctx.store.db, body.clientId, req.headers);
        return receiveAudit(ctx.store, u, body, req.log as unknown as Logger);
      }),
    );
  };

import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { registerClientRequest, renameClientRequest } from '../../core/sync/device-protocol';
import { clientRecord, listClients, registerClient, renameClient, requireDevice, revokeClient } from '../clients';
import { authed, handle, parse, requireAdmin, type RouteContext } from './context';

const clientIdParam = z.object({ clientId: z.string().min(1).max(100) }).strict();

/** Desks: registering one, the Admin's list, revoking one, and a desk's own record (src/server/clients.ts). */
export const clientRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    const { store } = ctx;
    app.post(
      '/v1/clients/register',
      handle(async (req) => {
        const u = await authed(ctx, req);
        const body = parse(registerClientRequest, req.body ?? {});
        const r = await registerClient(store, u, () => store.core.clock.now(), body, req.headers);
        req.log.info({ clientId: r.clientId, userId: u.userId, label: body.label }, 'desk registered');
        return r;
      }),
    );
    app.get(
      '/v1/clients',
      handle(async (req) => {
        requireAdmin(await authed(ctx, req), 'Only an administrator may list the desks.');
        return listClients(store.db);
      }),
    );
    app.post(
      '/v1/clients/:clientId/revoke',
      handle(async (req) => {
        const u = await authed(ctx, req);
        const { clientId } = parse(clientIdParam, req.params);
        const revoked = await revokeClient(store, u, clientId);
        req.log.info({ clientId, by: u.userId }, 'desk revoked');
        return { revoked };
      }),
    );
    app.post(
      '/v1/clients/:clientId/name',
      handle(async (req) => {
        const u = await authed(ctx, req);
        const { clientId } = parse(clientIdParam, req.params);
        await renameClient(store, u, clientId, parse(renameClientRequest, req.body));
        return { ok: true };
      }),
    );
    app.get(
      '/v1/clients/:clientId',
      handle(async (req) => {
        await authed(ctx, req);
        const { clientId } = parse(clientIdParam, req.params);
        await requireDevice(store.db, clientId, req.headers);
        return clientRecord(store.db, clientId);
      }),
    );
  };

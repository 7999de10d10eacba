import type { FastifyPluginAsync } from 'fastify';
import { registerUpdateFeed } from '../updates';
import type { RouteContext } from './context';

/** The desktop's update feed (src/server/updates.ts). */
export const updateRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    registerUpdateFeed(app, ctx.updatesDir);
  };

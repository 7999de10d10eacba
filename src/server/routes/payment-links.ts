import type { FastifyPluginAsync } from 'fastify';
import { registerPaymentLinkRoutes } from '../payment-links';
import type { RouteContext } from './context';

/** One-time payment links: public payer pages and the gateway's webhook (issue 14 item 4, src/server/payment-links.ts). */
export const paymentLinkRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    await registerPaymentLinkRoutes(app, ctx.store, ctx.paymentLinks, ctx.announce);
  };

import type { FastifyPluginAsync } from 'fastify';
import { AppFailure } from '../../shared/result';
import type { AuthedUser } from '../auth';
import { authed, sendError, type RouteContext } from './context';

const KEEP_ALIVE_MS = 20_000;

/** The push notice (server-sent events): a desk hears at once that the change stream moved. */
export const eventRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    // Open event streams per token: one desk needs one; a token cannot hold hundreds of sockets.
    const streams = new Map<string, number>();
    const maxStreams = ctx.limits.maxEventStreamsPerToken ?? 4;
    app.get('/v1/sync/events', async (req, reply) => {
      let u: AuthedUser;
      try {
        u = await authed(ctx, req);
        if ((streams.get(u.tokenHash) ?? 0) >= maxStreams) {
          throw new AppFailure('LIMIT', `This sign-in already has ${maxStreams} open event streams; close one first.`, { maxStreams });
        }
      } catch (e) {
        return sendError(reply, e, ctx.log);
      }
      streams.set(u.tokenHash, (streams.get(u.tokenHash) ?? 0) + 1);
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      reply.raw.write(`event: hello\ndata: ${JSON.stringify({ seq: ctx.lastSeq() })}\n\n`);
      const on = (seq: number) => reply.raw.write(`event: changes\ndata: ${JSON.stringify({ seq })}\n\n`);
      ctx.changes.on('changes', on);
      const beat = setInterval(() => reply.raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      ctx.openStreams.add(reply.raw);
      req.raw.on('close', () => {
        clearInterval(beat);
        ctx.changes.off('changes', on);
        ctx.openStreams.delete(reply.raw);
        const n = (streams.get(u.tokenHash) ?? 1) - 1;
        if (n > 0) streams.set(u.tokenHash, n);
        else streams.delete(u.tokenHash);
      });
    });
  };

import type { FastifyInstance, FastifyReply } from 'fastify';
import { CHUNK_BYTES } from '../../core/sync/protocol';
import { AppFailure } from '../../shared/result';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../json-depth';
import { sendError, type RouteContext } from './context';

/**
 * Every response's hooks in one place: body parsers, the error and not-found answers, and the
 * security headers.
 */

/** Sent with every answer: no browser guesses a type other than the one declared. */
export const BASE_SECURITY_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

/** Sent with the public HTML pages (payer pages): their own CSP, no framing, no referrer, no caching. */
export function pageSecurityHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    ...BASE_SECURITY_HEADERS,
    'x-frame-options': 'DENY',
    // The token is in the address: no referrer, no caching.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

export const withHeaders = (reply: FastifyReply, headers: Record<string, string>): FastifyReply => reply.headers(headers);

export function setUpHttp(app: FastifyInstance, ctx: Pick<RouteContext, 'log'>): void {
  app.addHook('onRequest', async (_req, reply) => {
    reply.headers(BASE_SECURITY_HEADERS);
  });
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
    if (error instanceof AppFailure) return sendError(reply, error, ctx.log);
    if (error.statusCode === 413) return reply.code(413).send({ ok: false, error: { code: 'LIMIT', message: 'The request is too large.' } });
    if (error.statusCode === 415) return reply.code(415).send({ ok: false, error: { code: 'VALIDATION', message: 'Unsupported content type: send application/json.' } });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(400).send({ ok: false, error: { code: 'VALIDATION', message: `Malformed request: ${error.message}` } });
    }
    return sendError(reply, error, ctx.log);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: `No such endpoint: ${req.method} ${req.url.split('?')[0]}` } }));
}

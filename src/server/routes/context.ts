import type { ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { zodToAppError } from '../../core/commands/zod-error';
import { AppFailure, type ErrorCode } from '../../shared/result';
import type { AuthedUser, ServerAuth } from '../auth';
import type { ServerStore } from '../db/open';
import type { ServerFiles } from '../files';
import type { PaymentLinkOptions } from '../payment-links';

/** What the route plugins share: built once by buildServer (app.ts). */
export interface RouteContext {
  store: ServerStore;
  auth: ServerAuth;
  files: ServerFiles;
  log: Logger;
  /** Tells every desk's event stream that the change stream reached `seq`. */
  announce(seq: number): void;
  /** The last sequence announced (a new event stream starts from it). */
  lastSeq(): number;
  changes: EventEmitter;
  /** Open push-notice streams: ended on stop, or app.close() would wait for them forever. */
  openStreams: Set<ServerResponse>;
  limits: { pushBodyLimit?: number; maxEventStreamsPerToken?: number };
  paymentLinks: PaymentLinkOptions;
  updatesDir?: string;
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED_OUT: 423,
  PERIOD_CLOSED: 409,
  LIMIT: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** An error as the API answers it: an AppFailure in its own words, anything else a 500 that says nothing was saved. */
export function sendError(reply: FastifyReply, e: unknown, log: Logger) {
  if (e instanceof AppFailure) return reply.code(STATUS[e.code] ?? 400).send({ ok: false, error: e.toError() });
  log.error({ err: e }, 'internal error');
  return reply.code(500).send({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on the server; nothing was saved.' } });
}

/** Checks a request part against its schema; a mismatch is a VALIDATION failure naming the field. */
export function parse<S extends z.ZodType>(schema: S, v: unknown): z.output<S> {
  const r = schema.safeParse(v);
  if (!r.success) {
    const e = zodToAppError(r.error);
    throw new AppFailure('VALIDATION', e.message, e.details);
  }
  return r.data;
}

/** A route handler whose value is the answer and whose failures are answered by sendError. */
export const handle =
  <T>(fn: (req: FastifyRequest, reply: FastifyReply) => Promise<T>) =>
  async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const v = await fn(req, reply);
      if (reply.sent) return reply;
      return reply.send(v);
    } catch (e) {
      return sendError(reply, e, req.log as unknown as Logger);
    }
  };

/** The signed-in user the request's bearer token names. */
export const authed = (ctx: RouteContext, req: FastifyRequest): Promise<AuthedUser> => ctx.auth.authenticate(req.headers.authorization);

/** Refuses anyone but an administrator, with the reason given. */
export function requireAdmin(u: AuthedUser, message: string): void {
  if (u.role !== 'admin') throw new AppFailure('FORBIDDEN', message);
}

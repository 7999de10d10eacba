import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { sha256Hex } from '../../core/sync/protocol';
import { AppFailure } from '../../shared/result';
import { assertMayReadFile } from '../file-access';
import { authed, handle, parse, type RouteContext } from './context';

const shaParam = z.object({ sha: sha256Hex }).strict();
const beginBody = z.object({ sizeBytes: z.number().int().min(0).max(2 ** 40), fileName: z.string().min(1).max(300) }).strict();
const chunkParams = z.object({ sha: sha256Hex, idx: z.coerce.number().int().min(0) }).strict();

/** Files by SHA-256: resumable checksummed uploads and role-checked downloads (src/server/files.ts). */
export const fileRoutes =
  (ctx: RouteContext): FastifyPluginAsync =>
  async (app) => {
    const { files } = ctx;
    app.get(
      '/v1/files/:sha/status',
      handle(async (req) => {
        await authed(ctx, req);
        return files.status(parse(shaParam, req.params).sha);
      }),
    );
    app.post(
      '/v1/files/:sha',
      handle(async (req) => {
        const u = await authed(ctx, req);
        const { sha } = parse(shaParam, req.params);
        const b = parse(beginBody, req.body);
        await files.begin(sha, b.sizeBytes, b.fileName, u.userId);
        return files.status(sha);
      }),
    );
    app.put(
      '/v1/files/:sha/chunks/:idx',
      handle(async (req) => {
        await authed(ctx, req);
        const p = parse(chunkParams, req.params);
        const chunkSha = parse(sha256Hex, req.headers['x-chunk-sha256']);
        if (!Buffer.isBuffer(req.body)) throw new AppFailure('VALIDATION', 'Send the chunk as application/octet-stream.');
        await files.putChunk(p.sha, p.idx, req.body, chunkSha);
        return { ok: true };
      }),
    );
    app.post(
      '/v1/files/:sha/complete',
      handle(async (req) => {
        await authed(ctx, req);
        const { sha } = parse(shaParam, req.params);
        await files.complete(sha);
        ctx.announce(ctx.lastSeq() + 1);
        return files.status(sha);
      }),
    );
    app.get(
      '/v1/files/:sha',
      handle(async (req, reply) => {
        const u = await authed(ctx, req);
        const { sha } = parse(shaParam, req.params);
        await assertMayReadFile(ctx.store, u.role, sha);
        const size = await files.size(sha);
        if (size === null) throw new AppFailure('NOT_FOUND', 'The server does not have this file.', { sha256: sha });
        return reply.type('application/octet-stream').header('content-length', size).header('x-sha256', sha).send(Readable.from(files.read(sha)));
      }),
    );
  };

import { createReadStream } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The desktop's release files, served as an electron-updater "generic" feed:
 * GET /v1/updates/<file> for the files an administrator copied from electron-builder's `release/`
 * folder into UPDATES_DIR (`latest.yml`, `latest-mac.yml`, `latest-linux.yml`, the installers and
 * their `.blockmap` files).
 *
 * Not behind sign-in, on purpose: a desk must be able to update before anyone signs in (a newer
 * server may refuse an older desk's sign-in), the files hold no office data (every office runs the
 * same installers), and what protects a desk is the sha512 of each installer in `latest.yml`, which
 * electron-updater checks before installing, plus the installer's code signature and this server's
 * TLS. Only plain files directly in the folder are served: no sub-folders, no dot-files, no
 * symbolic links, nothing outside it (a name with a path in it is refused before the disk is read).
 */
export const UPDATE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+ -]{0,199}$/;

const TYPES: Record<string, string> = { yml: 'text/yaml; charset=utf-8', yaml: 'text/yaml; charset=utf-8', json: 'application/json' };

export function registerUpdateFeed(app: FastifyInstance, updatesDir: string | undefined): void {
  app.get('/v1/updates/:file', async (req, reply) => {
    const name = (req.params as { file?: string }).file ?? '';
    if (!updatesDir) {
      return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: 'This server publishes no desktop updates (UPDATES_DIR is not set).' } });
    }
    if (!UPDATE_FILE_NAME.test(name) || name.includes('..')) {
      return reply.code(400).send({ ok: false, error: { code: 'VALIDATION', message: 'Not a release file name.', details: { field: 'file' } } });
    }
    const dir = await realpath(updatesDir).catch(() => null);
    const path = dir ? join(dir, name) : null;
    const st = path ? await lstat(path).catch(() => null) : null;
    if (!path || !st || !st.isFile()) {
      return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: `No release file named ${name} on this server.` } });
    }
    const ext = name.split('.').pop()!.toLowerCase();
    // The feed's index changes with every release; installers never change under one name.
    void reply
      .header('content-type', TYPES[ext] ?? 'application/octet-stream')
      .header('content-length', st.size)
      .header('cache-control', ext === 'yml' || ext === 'yaml' ? 'no-cache' : 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff');
    if (req.method === 'HEAD') return reply.send();
    return reply.send(createReadStream(path));
  });
}

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../sync/helpers';

/** GET exactly this path (fetch would normalise `..` away before it left). */
function rawGet(base: string, path: string, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, method }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A release folder as electron-builder leaves it: latest.yml naming the installer with its sha512. */
function makeRelease(dir: string, version: string): Buffer {
  const installer = Buffer.from(`MZ fake installer for ${version} `.repeat(5000));
  const sha512 = createHash('sha512').update(installer).digest('base64');
  const file = `Ledgerdesk-Setup-${version}.exe`;
  writeFileSync(join(dir, file), installer);
  writeFileSync(join(dir, `${file}.blockmap`), Buffer.from('blockmap'));
  writeFileSync(
    join(dir, 'latest.yml'),
    `version: ${version}\nfiles:\n  - url: ${file}\n    sha512: ${sha512}\n    size: ${installer.length}\npath: ${file}\nsha512: ${sha512}\nreleaseDate: '2026-11-29T20:00:00.000Z'\n`,
  );
  return installer;
}

describe('update feed: the office server serves desktop releases (issue 13 item 8)', () => {
  let server: RunningServer;
  let bare: RunningServer;
  let installer: Buffer;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'ledgerdesk-updates-'));
    const updates = join(root, 'updates');
    mkdirSync(updates);
    installer = makeRelease(updates, '0.2.0');
    // Things next to and inside the folder that must never be served.
    writeFileSync(join(root, 'secret.txt'), 'not a release');
    writeFileSync(join(updates, '.env'), 'SECRET=1');
    mkdirSync(join(updates, 'old'));
    writeFileSync(join(updates, 'old', 'latest.yml'), 'version: 0.1.0');
    symlinkSync(join(root, 'secret.txt'), join(updates, 'linked.txt'));
    [server, bare] = await Promise.all([startServer({ env: { UPDATES_DIR: updates } }), startServer()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([server?.kill(), bare?.kill()]);
  });

  it('serves latest.yml and the installer it names, byte for byte, without sign-in; the sha512 electron-updater checks matches', async () => {
    const index = await rawGet(server.url, '/v1/updates/latest.yml?noCache=1abc');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toContain('yaml');
    expect(index.headers['cache-control']).toBe('no-cache');
    const text = index.body.toString();
    const field = (name: string) => new RegExp(`^\\s*-?\\s*${name}: (.+)$`, 'm').exec(text)?.[1];
    const feed = { version: field('version'), url: field('url')!, sha512: field('sha512') };
    expect(feed.version).toBe('0.2.0');
    const file = await rawGet(server.url, `/v1/updates/${encodeURIComponent(feed.url)}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(Number(file.headers['content-length'])).toBe(installer.length);
    expect(file.body.equals(installer)).toBe(true);
    expect(createHash('sha512').update(file.body).digest('base64')).toBe(feed.sha512);
    expect((await rawGet(server.url, '/v1/updates/Ledgerdesk-Setup-0.2.0.exe.blockmap')).status).toBe(200);
    const head = await rawGet(server.url, '/v1/updates/latest.yml', 'HEAD');
    expect(head.status).toBe(200);
  });

  it('refuses paths out of the folder, dot-files, sub-folders and symbolic links, and reads nothing for them', async () => {
    for (const path of [
      '/v1/updates/..%2Fsecret.txt',
      '/v1/updates/%2e%2e%2fsecret.txt',
      '/v1/updates/..',
      '/v1/updates/%2e%2e',
      '/v1/updates/.env',
      '/v1/updates/old%2Flatest.yml',
      '/v1/updates/old%5Clatest.yml',
      '/v1/updates/%2Fetc%2Fpasswd',
      '/v1/updates/latest.yml%00.exe',
    ]) {
      const r = await rawGet(server.url, path);
      expect(r.status, path).toBe(400);
      expect(r.body.toString(), path).not.toContain('not a release');
    }
    for (const path of ['/v1/updates/../secret.txt', '/v1/updates/old/latest.yml', '/v1/updates/linked.txt', '/v1/updates/old', '/v1/updates/latest-mac.yml']) {
      const r = await rawGet(server.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain('not a release');
    }
  });

  it('a server without UPDATES_DIR says it publishes no updates', async () => {
    const r = await rawGet(bare.url, '/v1/updates/latest.yml');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body.toString()).error.message).toContain('UPDATES_DIR');
  });
});

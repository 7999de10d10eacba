import { createHash } from 'node:crypto';
import { AppFailure } from '../shared/result';
import { CHUNK_BYTES } from '../core/sync/protocol';
import type { ServerStore } from './db/open';

/**
 * Files by SHA-256, uploaded in resumable chunks (each with its own SHA-256), kept in the database
 * (so every server process sees them), and verified whole before any command may name them. On
 * completion the ledger's `stored_files` row is written, which syncs to every desktop; desktops
 * download the bytes lazily and verify them.
 */
/** The contract's largest file (src/shared/contract/imports.ts): no upload may declare more. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Unfinished uploads one user may hold at once (declared bytes, last 24 hours). */
export const DEFAULT_UPLOAD_QUOTA_BYTES = 200 * 1024 * 1024;

export class ServerFiles {
  constructor(
    private readonly store: ServerStore,
    private readonly quotaBytes = DEFAULT_UPLOAD_QUOTA_BYTES,
  ) {}

  async status(sha: string) {
    const f = await this.store.db.selectFrom('srv_files').selectAll().where('sha256', '=', sha).executeTakeFirst();
    if (!f) return { exists: false, complete: false, received: [] as number[], chunkCount: 0, sizeBytes: 0 };
    const received = (await this.store.db.selectFrom('srv_file_chunks').select('idx').where('sha256', '=', sha).orderBy('idx').execute()).map((r) => r.idx);
    return { exists: true, complete: f.complete === 1, received, chunkCount: f.chunk_count, sizeBytes: Number(f.size_bytes) };
  }

  async begin(sha: string, sizeBytes: number, fileName: string, userId: string): Promise<void> {
    if (sizeBytes > MAX_FILE_BYTES) throw new AppFailure('LIMIT', `Files may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB; this one declares ${sizeBytes} bytes.`, { field: 'sizeBytes', maxBytes: MAX_FILE_BYTES });
    const chunkCount = Math.max(1, Math.ceil(sizeBytes / CHUNK_BYTES));
    const f = await this.store.db.selectFrom('srv_files').selectAll().where('sha256', '=', sha).executeTakeFirst();
    if (f) {
      if (Number(f.size_bytes) !== sizeBytes) throw new AppFailure('CONFLICT', 'This file was started with a different size.', { field: 'sizeBytes' });
      return;
    }
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    const pending = await this.store.db
      .selectFrom('srv_files')
      .select((eb) => eb.fn.sum<number | string | null>('size_bytes').as('n'))
      .where('uploaded_by', '=', userId)
      .where('complete', '=', 0)
      .where('created_at', '>', since)
      .executeTakeFirst();
    const held = Number(pending?.n ?? 0);
    if (held + sizeBytes > this.quotaBytes) {
      throw new AppFailure('LIMIT', `You have ${Math.ceil(held / 1024 / 1024)} MB of unfinished uploads; finish them before starting more (the limit is ${Math.round(this.quotaBytes / 1024 / 1024)} MB).`, {
        field: 'sizeBytes',
        quotaBytes: this.quotaBytes,
      });
    }
    await this.store.db
      .insertInto('srv_files')
      .values({ sha256: sha, size_bytes: sizeBytes, chunk_count: chunkCount, complete: 0, file_name: fileName, created_at: new Date().toISOString(), completed_at: null, uploaded_by: userId })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  async putChunk(sha: string, idx: number, bytes: Buffer, chunkSha: string): Promise<void> {
    const f = await this.store.db.selectFrom('srv_files').selectAll().where('sha256', '=', sha).executeTakeFirst();
    if (!f) throw new AppFailure('NOT_FOUND', 'Start the upload first.', { sha256: sha });
    if (f.complete === 1) return;
    if (!Number.isInteger(idx) || idx < 0 || idx >= f.chunk_count) throw new AppFailure('VALIDATION', `Chunk ${idx} is out of range (0-${f.chunk_count - 1}).`, { field: 'idx' });
    const expectedLen = idx === f.chunk_count - 1 ? Number(f.size_bytes) - idx * CHUNK_BYTES : CHUNK_BYTES;
    if (bytes.length !== expectedLen) throw new AppFailure('VALIDATION', `Chunk ${idx} must be ${expectedLen} bytes, not ${bytes.length}.`, { field: 'body' });
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== chunkSha) throw new AppFailure('VALIDATION', `Chunk ${idx} does not match its checksum; send it again.`, { field: 'x-chunk-sha256' });
    await this.store.db
      .insertInto('srv_file_chunks')
      .values({ sha256: sha, idx, chunk_sha256: chunkSha, bytes })
      .onConflict((oc) => oc.columns(['sha256', 'idx']).doNothing())
      .execute();
  }

  /** Verifies the whole file against its name; only then may commands reference it. */
  async complete(sha: string): Promise<void> {
    const f = await this.store.db.selectFrom('srv_files').selectAll().where('sha256', '=', sha).executeTakeFirst();
    if (!f) throw new AppFailure('NOT_FOUND', 'No such upload.', { sha256: sha });
    if (f.complete === 1) return;
    const h = createHash('sha256');
    let n = 0;
    for (let idx = 0; idx < f.chunk_count; idx++) {
      const c = await this.store.db.selectFrom('srv_file_chunks').select('bytes').where('sha256', '=', sha).where('idx', '=', idx).executeTakeFirst();
      if (!c) throw new AppFailure('CONFLICT', `Chunk ${idx} has not arrived yet.`, { missingChunk: idx });
      h.update(c.bytes);
      n += c.bytes.length;
    }
    const got = h.digest('hex');
    if (got !== sha || n !== Number(f.size_bytes)) {
      await this.store.db.deleteFrom('srv_file_chunks').where('sha256', '=', sha).execute();
      throw new AppFailure('VALIDATION', 'The file does not match its SHA-256; the upload was discarded. Send it again.', { field: 'sha256' });
    }
    const now = new Date().toISOString();
    await this.store.core.executor.serial(() =>
      this.store.db.transaction().execute(async (trx) => {
        await trx.updateTable('srv_files').set({ complete: 1, completed_at: now }).where('sha256', '=', sha).execute();
        await trx
          .insertInto('stored_files')
          .values({ sha256: sha, size_bytes: Number(f.size_bytes), file_name: f.file_name, stored_at: now })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
      }),
    );
  }

  async *read(sha: string): AsyncGenerator<Buffer> {
    const f = await this.store.db.selectFrom('srv_files').selectAll().where('sha256', '=', sha).where('complete', '=', 1).executeTakeFirst();
    if (!f) throw new AppFailure('NOT_FOUND', 'The server does not have this file.', { sha256: sha });
    for (let idx = 0; idx < f.chunk_count; idx++) {
      const c = await this.store.db.selectFrom('srv_file_chunks').select('bytes').where('sha256', '=', sha).where('idx', '=', idx).executeTakeFirstOrThrow();
      yield c.bytes;
    }
  }

  async size(sha: string): Promise<number | null> {
    const f = await this.store.db.selectFrom('srv_files').select('size_bytes').where('sha256', '=', sha).where('complete', '=', 1).executeTakeFirst();
    return f ? Number(f.size_bytes) : null;
  }
}

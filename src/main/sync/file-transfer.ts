import { CHUNK_BYTES } from '../../core/sync/protocol';
import { sha256 } from '../../core/util/canonical-json';
import { AppFailure } from '../../shared/result';
import type { ServerLink } from './server-link';
import { SYNC_TEXT } from './sync-status';

/** Files kept by SHA-256 on this desktop (src/main/imports/file-store.ts fits). */
export interface LocalFiles {
  has(sha256: string): boolean;
  get(sha256: string): Buffer;
  put(bytes: Uint8Array): string;
}

/** Uploads a file the server lacks, in resumable checksummed chunks. False when this desk does not have it. */
export async function uploadFile(link: ServerLink, files: LocalFiles | undefined, token: string, sha: string): Promise<boolean> {
  const st = await link.call<{ complete: boolean; exists: boolean; received: number[] }>(token, 'GET', `/v1/files/${sha}/status`);
  if (st.complete) return true;
  if (!files || !files.has(sha)) return false;
  const bytes = files.get(sha);
  const meta = await link.core.db.selectFrom('stored_files').select('file_name').where('sha256', '=', sha).executeTakeFirst();
  const up = await link.call<{ received: number[] }>(token, 'POST', `/v1/files/${sha}`, { json: { sizeBytes: bytes.length, fileName: meta?.file_name ?? `${sha}.bin` } });
  const have = new Set(up.received);
  const count = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  for (let i = 0; i < count; i++) {
    if (have.has(i)) continue;
    const chunk = bytes.subarray(i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES));
    await link.call(token, 'PUT', `/v1/files/${sha}/chunks/${i}`, { body: chunk, headers: { 'x-chunk-sha256': sha256(chunk) } });
  }
  await link.call(token, 'POST', `/v1/files/${sha}/complete`, { json: {} });
  return true;
}

/** A file named by a synced record, downloaded on first use and verified against its SHA-256. */
export async function downloadFile(link: ServerLink, files: LocalFiles | undefined, sha: string): Promise<Buffer> {
  if (!files) throw new AppFailure('UNAVAILABLE', SYNC_TEXT.noFileStore);
  if (files.has(sha)) return files.get(sha);
  const token = await link.anyToken();
  if (!link.api || !token) throw new AppFailure('UNAVAILABLE', SYNC_TEXT.signInToDownload);
  const bytes = await link.call<Buffer>(token, 'GET', `/v1/files/${sha}`, { raw: true });
  if (sha256(bytes) !== sha) throw new AppFailure('CONFLICT', SYNC_TEXT.fileMismatch);
  files.put(bytes);
  return bytes;
}

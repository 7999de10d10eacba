import type { Role } from '../shared/roles';
import { AppFailure } from '../shared/result';
import type { ServerStore } from './db/open';

/**
 * Files go only to roles that may see a record naming them: an uploaded import file (every row of
 * a balance or bill file) to Admins, who run imports; any other stored file (statement files) to
 * Supervisors and Admins. CSRs' desks never need file bytes. The refusal reads like a missing file.
 */
export async function assertMayReadFile(store: ServerStore, role: Role, sha: string): Promise<void> {
  if (role === 'admin') return;
  const isImport = await store.db.selectFrom('uploads').select('id').where('sha256', '=', sha).limit(1).executeTakeFirst();
  if (role === 'supervisor' && !isImport) return;
  throw new AppFailure('NOT_FOUND', 'The server does not have this file.', { sha256: sha });
}

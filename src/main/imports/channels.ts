import { rolesFor } from '../../core/settings/role-rules';
import { readSettings } from '../../core/settings/settings';
import type { Role } from '../../shared/roles';
import type { Router } from '../router/router';
import { actorOf } from '../router/session';
import type { ImportDecisions } from '../../shared/contract/imports';
import type { ImportService } from './import-service';

/** Binds the File Transfers channels of the contract to the import service. */
export function registerImportChannels(router: Router, imports: ImportService): void {
  // Roles that may upload some kind of file (Settings; by default everyone balance files, Admins
  // bill files) are checked before the input; the service and core check the file's own kind.
  const uploaders = async (): Promise<readonly Role[]> => {
    const s = await readSettings(router.core.db);
    return [...new Set([...rolesFor(s, 'balanceFileRoles'), ...rolesFor(s, 'billFileRoles')])];
  };
  const forUploaders = { roles: uploaders };
  router.register('imports.preview', async (session, input) => {
    const i = input as { previewId: string; fileName: string; kind: 'balance' | 'bill'; divisionId: string | null; contentBase64: string; decisions?: ImportDecisions; readAs?: { decimalComma?: boolean; dayFirst?: boolean } };
    const bytes = Buffer.from(i.contentBase64, 'base64');
    let last = 0;
    return imports.preview(actorOf(session), { ...i, bytes }, (rows) => {
      // At most a few progress events a second reach the window.
      const now = Date.now();
      if (now - last > 150) {
        last = now;
        session.emit('import.progress', { previewId: i.previewId, rows, phase: 'reading' });
      }
    });
  }, forUploaders);
  router.register('imports.cancel', async (session, input) => {
    return imports.cancel(actorOf(session), (input as { previewId: string }).previewId);
  }, forUploaders);
  router.register('imports.decide', async (session, input) => {
    const i = input as { previewId: string; decisions: ImportDecisions };
    return imports.decide(actorOf(session), i.previewId, i.decisions);
  }, forUploaders);
  router.register('imports.apply', async (session, input) => {
    const i = input as { previewId: string; decisions?: ImportDecisions };
    return imports.apply(actorOf(session), i.previewId, i.decisions);
  }, forUploaders);
  router.register('imports.export', async (session, input) => {
    const i = input as { uploadId: string; format: 'csv' | 'xlsx' };
    const allowed = await router.core.executor.query(actorOf(session), 'imports.get', { uploadId: i.uploadId });
    if (!allowed.ok) return allowed;
    return imports.export(i.uploadId, i.format);
  }, forUploaders);
  router.register('imports.template', async (_session, input) => {
    const i = input as { kind: 'balance' | 'bill'; format: 'csv' | 'xlsx' };
    return imports.template(i.kind, i.format);
  });
}

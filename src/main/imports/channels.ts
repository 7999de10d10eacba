import { requireRole } from '../../core/commands/require-role';
import { ADMINS } from '../../shared/roles';
import type { Router } from '../router/router';
import { actorOf } from '../router/session';
import type { ImportDecisions } from '../../shared/contract/imports';
import type { ImportService } from './import-service';

/** Binds the File Transfers channels of the contract to the import service. */
export function registerImportChannels(router: Router, imports: ImportService): void {
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
  });
  // Previews belong to Admins (only they may make one); the role is checked first, as for commands.
  const adminsOnly = (session: Parameters<typeof actorOf>[0], what: string) => requireRole(router.core.db, router.core.clock, actorOf(session), ADMINS, what);
  router.register('imports.cancel', async (session, input) => {
    await adminsOnly(session, 'imports.cancel');
    return imports.cancel(actorOf(session), (input as { previewId: string }).previewId);
  });
  router.register('imports.decide', async (session, input) => {
    await adminsOnly(session, 'imports.decide');
    const i = input as { previewId: string; decisions: ImportDecisions };
    return imports.decide(actorOf(session), i.previewId, i.decisions);
  });
  router.register('imports.apply', async (session, input) => {
    await adminsOnly(session, 'imports.apply');
    const i = input as { previewId: string; decisions?: ImportDecisions };
    return imports.apply(actorOf(session), i.previewId, i.decisions);
  });
  router.register('imports.export', async (session, input) => {
    const i = input as { uploadId: string; format: 'csv' | 'xlsx' };
    const allowed = await router.core.executor.query(actorOf(session), 'imports.get', { uploadId: i.uploadId });
    if (!allowed.ok) return allowed;
    return imports.export(i.uploadId, i.format);
  });
  router.register('imports.template', async (_session, input) => {
    const i = input as { kind: 'balance' | 'bill'; format: 'csv' | 'xlsx' };
    return imports.template(i.kind, i.format);
  });
}

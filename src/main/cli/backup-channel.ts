import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { LedgerCore } from '../../core/ledger-core';
import { err, ok } from '../../shared/result';
import type { Router } from '../router/router';
import { backupLedger } from './backup';

/**
 * `ledger.backup`: an Admin backs up the open ledger into <data folder>/backups/ while the app runs
 * (no path from the renderer: it cannot make main write anywhere else). Runs on the core's writer
 * queue so no command is half-way through.
 */
export function registerBackupChannel(router: Router, core: LedgerCore, raw: BetterSqlite3.Database, dataDir: string): void {
  router.register('ledger.backup', async (s) => {
    if (s.user?.role !== 'admin') return err('FORBIDDEN', 'Only an administrator may back up the ledger.');
    const stamp = core.clock.now().toISOString().replace(/[:.]/g, '-');
    const r = await core.executor.serial(() => backupLedger(raw, join(dataDir, 'backups', `ledger-${stamp}.sqlite`)));
    return ok(r);
  });
}

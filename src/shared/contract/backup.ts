import { z } from 'zod';
import { channel } from './define';

export interface BackupDTO {
  /** Where the copy was written (the app's data folder, backups/). */
  path: string;
  bytes: number;
}

/** In-app backup (Admin): SQLite's online backup of the open ledger. Restore is `npm run cli -- restore`. */
export const backupContract = {
  'ledger.backup': channel<BackupDTO>()(z.object({}).strict()),
} as const;

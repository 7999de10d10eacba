import { z } from 'zod';
import { channel } from './define';

/** The header's sync status (also pushed as the `sync.status` event). */
export interface SyncStatusDTO {
  configured: boolean;
  serverUrl: string | null;
  online: boolean;
  syncing: boolean;
  /** Changes entered here and not yet answered by the server. */
  pending: number;
  needsAttention: number;
  lastSyncedAt: string | null;
  lastError: string | null;
  /** Users whose work waits for them to sign in to the server again. */
  waitingForSignIn: string[];
}

/** A command the server refused: what, why, who, and the ways out. */
export interface NeedsAttentionDTO {
  commandId: string;
  command: string;
  what: string;
  why: string;
  code: string;
  details: Record<string, unknown> | null;
  who: string;
  enteredAt: string;
  answeredAt: string | null;
  subjectId: string | null;
  input: unknown;
  resolutions: { action: 'retry' | 'dismiss'; label: string }[];
  advice: string[];
}

const commandId = z.string().uuid('Expected a command id.');

export const syncContract = {
  'sync.status': channel<SyncStatusDTO>()(z.object({}).strict()),
  'sync.now': channel<SyncStatusDTO>()(z.object({}).strict()),
  'sync.configure': channel<SyncStatusDTO>()(
    z
      .object({
        serverUrl: z
          .string()
          .trim()
          .max(300)
          .refine((s) => s === '' || /^https?:\/\/[^\s]+$/i.test(s), 'Enter the server address, e.g. https://ledger.example.org')
          .nullable(),
      })
      .strict(),
  ),
  /** Signs the current user in to the server again (their work waits until they do). */
  'sync.signIn': channel<SyncStatusDTO>()(z.object({ password: z.string().min(1, 'Enter your password.').max(500) }).strict()),
  'sync.needsAttention.list': channel<NeedsAttentionDTO[]>()(z.object({}).strict()),
  'sync.needsAttention.resolve': channel<{ ok: true; newCommandId?: string }>()(
    z.object({ commandId, action: z.enum(['retry', 'dismiss']) }).strict(),
  ),
} as const;

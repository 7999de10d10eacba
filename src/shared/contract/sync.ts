import { z } from 'zod';
import { channel } from './define';
import { isoDate, trimmed } from './fields';

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
  /** The last transport or server error, in its own words (shown to administrators). */
  lastError: string | null;
  /** Users whose work waits for them to sign in to the server again (display names). */
  waitingForSignIn: string[];
  /**
   * What holds sync back, in plain words for the header, or null when nothing does:
   * 'sign-in' (someone must sign in to the server), 'offline', 'error' (the server answered with an error).
   */
  blocked: { kind: 'sign-in' | 'offline' | 'error'; message: string } | null;
}

export type NeedsAttentionAction = 'redate' | 'deposit' | 'void' | 'retry' | 'acknowledge';

/** The money a refused command recorded, and where it is now. */
export interface KeptMoneyDTO {
  state: 'on_hold' | 'undeposited';
  paymentId: string;
  reference: string;
  amountCents: number;
  accountNumber: string;
  accountName: string;
  paymentDate: string;
  /** The payment's status now (someone may have re-dated or voided it since). */
  status: string;
}

/** A command the server refused: what, for whom, how much, when, why, and the ways out, in a clerk's words. */
export interface NeedsAttentionDTO {
  commandId: string;
  command: string;
  /** One line: "Cash payment of $50.00 for 100003 Jane Doe was not posted". */
  title: string;
  /** What was entered, with amount, account and date. */
  what: string;
  /** Why the server refused it, in plain words. */
  why: string;
  /** What to do next, naming who can do it. */
  advice: string[];
  who: string;
  authorId: string | null;
  enteredAt: string;
  businessDate: string;
  answeredAt: string | null;
  subjectId: string | null;
  kept: KeptMoneyDTO | null;
  actions: { action: NeedsAttentionAction; label: string; confirm?: string }[];
  /** The server's own code and text, for administrators. */
  technical: { code: string; message: string } | null;
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
    z
      .object({
        commandId,
        action: z.enum(['redate', 'deposit', 'void', 'retry', 'acknowledge']),
        paymentDate: isoDate.optional(),
        depositId: z.string().uuid('Choose a deposit.').optional(),
        reason: trimmed(300, 'Reason').optional(),
        /** A void is explicit: the person confirmed it. */
        confirmed: z.boolean().optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.action === 'redate' && !v.paymentDate) ctx.addIssue({ code: 'custom', path: ['paymentDate'], message: 'Choose the date to post it on.' });
        if (v.action === 'deposit' && !v.depositId) ctx.addIssue({ code: 'custom', path: ['depositId'], message: 'Choose a deposit.' });
        if (v.action === 'void' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why the payment is voided.' });
        if (v.action === 'void' && v.confirmed !== true) ctx.addIssue({ code: 'custom', path: ['confirmed'], message: 'Confirm the void.' });
      }),
  ),
} as const;

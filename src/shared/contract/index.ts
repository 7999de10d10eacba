import type { SyncStatusDTO } from './sync';
import type { z } from 'zod';
import type { Result } from '../result';
import { adminContract } from './admin';
import { authContract, usersContract } from './auth';
import type { ChannelSpec } from './define';
import { accountsContract, invoicesContract, payersContract } from './payers';
import { importsContract } from './imports';
import { paymentsContract } from './payments';
import { syncContract } from './sync';
import { backupContract } from './backup';
import { joinContract } from './join';
import { creditsContract } from './credits';
import { refundsContract } from './refunds';
import { recurringContract } from './recurring';
import { categoriesContract } from './categories';
import { depositsContract } from './deposits';
import { periodsContract } from './periods';
import { notificationsContract } from './notifications';
import { reportsContract } from './reports';
import { paymentLinksContract } from './payment-links';

/**
 * The one contract between the renderer and main (Electron IPC or the browser host's WebSocket).
 * Each workflow keeps its channels in its own file; add the file's object here.
 */
export const contract = {
  ...authContract,
  ...usersContract,
  ...payersContract,
  ...accountsContract,
  ...invoicesContract,
  ...paymentsContract,
  ...creditsContract,
  ...refundsContract,
  ...recurringContract,
  ...categoriesContract,
  ...adminContract,
  ...importsContract,
  ...depositsContract,
  ...periodsContract,
  ...notificationsContract,
  ...reportsContract,
  ...paymentLinksContract,
  ...syncContract,
  ...backupContract,
  ...joinContract,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channels = Object.keys(contract) as Channel[];

export type InputOf<K extends Channel> = z.input<Contract[K]['input']>;
export type ParsedInputOf<K extends Channel> = z.output<Contract[K]['input']>;
export type OutputOf<K extends Channel> = Contract[K] extends ChannelSpec<z.ZodType, infer O> ? O : never;

/** What the renderer calls: one function per channel, failures as values. */
export type Api = { [K in Channel]: (input: InputOf<K>) => Promise<Result<OutputOf<K>>> };

/** Push events from main to the renderer. */
export interface EventMap {
  'session.ended': { reason: 'signed-out' | 'idle' | 'deactivated' };
  /** The whole header status, without the server's error text (administrators read it through `sync.status`). */
  'sync.status': Omit<SyncStatusDTO, 'lastError'>;
  'ledger.changed': { entities: string[] };
  'import.progress': { previewId: string; rows: number; phase: 'reading' | 'checking' };
}
export type EventName = keyof EventMap;

export * from './dto';

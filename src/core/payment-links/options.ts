import type { Kysely } from 'kysely';
import { DEFAULT_LINK_EXPIRY_DAYS, type PaymentLinkOptions } from '../../shared/contract/payment-links';
import type { Database } from '../db/schema';

/** Settings rows of payment links (the `settings` table; readSettings ignores keys it does not know). */
export const OPTIONS_KEY = 'paymentLinks.options';
/** Written by the central server at start from its PUBLIC_URL and gateway configuration; reaches desks by pull. */
export const PUBLICATION_KEY = 'paymentLinks.server';

export const DEFAULT_LINK_OPTIONS: PaymentLinkOptions = {
  currency: 'usd',
  allowOverpay: false,
  expiryDays: DEFAULT_LINK_EXPIRY_DAYS,
  payInstructions: '',
};

export interface LinkPublication {
  publicUrl: string | null;
  gateway: boolean;
}

async function readJson<T>(db: Kysely<Database>, key: string): Promise<Partial<T> | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.value) as Partial<T>;
  } catch {
    return null;
  }
}

export async function readLinkOptions(db: Kysely<Database>): Promise<PaymentLinkOptions> {
  return { ...DEFAULT_LINK_OPTIONS, ...((await readJson<PaymentLinkOptions>(db, OPTIONS_KEY)) ?? {}) };
}

export async function readPublication(db: Kysely<Database>): Promise<LinkPublication> {
  const p = await readJson<LinkPublication>(db, PUBLICATION_KEY);
  return { publicUrl: typeof p?.publicUrl === 'string' && p.publicUrl ? p.publicUrl : null, gateway: p?.gateway === true };
}

export async function writeSetting(db: Kysely<Database>, key: string, value: unknown, now: string): Promise<void> {
  const v = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: v, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: now }))
    .execute();
}

import { sql } from 'kysely';
import { fail } from '../../shared/result';
import type { CommandCtx } from '../commands/types';
import { periodOf } from '../../shared/dates';

export interface EntryInput {
  accountId: string;
  entryDate: string;
  kind: string;
  /** + raises what the payer owes (charges, returned payments); − lowers it (payments, credits). */
  amountCents: number;
  sourceType: string;
  sourceId: string;
  description: string;
  /** Unique within the command: makes the entry's id stable across re-runs. */
  label: string;
}

/** Adds one journal entry and moves the account's cached balance with it, in the same transaction. */
export async function postEntry(ctx: CommandCtx, e: EntryInput): Promise<string> {
  const id = ctx.id(`entry/${e.label}`);
  await ctx.db
    .insertInto('account_entries')
    .values({
      id,
      account_id: e.accountId,
      entry_date: e.entryDate,
      kind: e.kind,
      amount_cents: e.amountCents,
      source_type: e.sourceType,
      source_id: e.sourceId,
      description: e.description,
      created_at: ctx.now,
    })
    .execute();
  await ctx.db
    .updateTable('accounts')
    .set({ balance_cents: sql<number>`balance_cents + ${e.amountCents}`, updated_at: ctx.now })
    .where('id', '=', e.accountId)
    .execute();
  return id;
}

/** A closed month accepts no postings dated in it (docs/design.md: ledger rules). */
export async function assertPeriodOpen(ctx: CommandCtx, date: string, field = 'date'): Promise<void> {
  const p = await ctx.db.selectFrom('periods').select('status').where('period', '=', periodOf(date)).executeTakeFirst();
  if (p?.status === 'closed') {
    fail('PERIOD_CLOSED', `${periodOf(date)} is closed: nothing dated in it can be posted or changed.`, { field, period: periodOf(date) });
  }
}

export async function getActiveAccount(ctx: CommandCtx, accountId: string) {
  const acct = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  if (!acct) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
  if (acct.status !== 'active') fail('CONFLICT', `Account ${acct.account_number} is inactive; nothing can be posted to it.`, { field: 'accountId' });
  return acct;
}

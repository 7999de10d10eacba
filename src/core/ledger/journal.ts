import { sql } from 'kysely';
import { fail } from '../../shared/result';
import type { CommandCtx } from '../commands/types';
import { periodOf } from '../../shared/dates';
import { insertRow, prepared } from '../db/prepared';

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
  await insertRow(ctx.db, 'account_entries', {
    id,
    account_id: e.accountId,
    entry_date: e.entryDate,
    kind: e.kind,
    amount_cents: e.amountCents,
    source_type: e.sourceType,
    source_id: e.sourceId,
    description: e.description,
    created_at: ctx.now,
  });
  await moveBalance.run(ctx.db, e.amountCents, ctx.now, e.accountId);
  return id;
}

// Every posting runs these: compiled once (prepared.ts).
const moveBalance = prepared((db, by: number, now: string, accountId: string) =>
  db.updateTable('accounts').set({ balance_cents: sql<number>`balance_cents + ${by}`, updated_at: now }).where('id', '=', accountId),
);
const periodStatus = prepared((db, period: string) => db.selectFrom('periods').select('status').where('period', '=', period));
const accountById = prepared((db, id: string) => db.selectFrom('accounts').selectAll().where('id', '=', id));

/** A closed month accepts no postings dated in it (docs/design.md: ledger rules). */
export async function assertPeriodOpen(ctx: CommandCtx, date: string, field = 'date'): Promise<void> {
  const p = await periodStatus.first(ctx.db, periodOf(date));
  if (p?.status === 'closed') {
    fail('PERIOD_CLOSED', `${periodOf(date)} is closed: nothing dated in it can be posted or changed.`, { field, period: periodOf(date) });
  }
}

export async function getActiveAccount(ctx: CommandCtx, accountId: string) {
  const acct = await accountById.first(ctx.db, accountId);
  if (!acct) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
  if (acct.status !== 'active') fail('CONFLICT', `Account ${acct.account_number} is inactive; nothing can be posted to it.`, { field: 'accountId' });
  return acct;
}

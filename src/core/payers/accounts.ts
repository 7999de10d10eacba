import { accountsContract } from '../../shared/contract/payers';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { assertMay } from '../settings/role-rules';
import { defineCommand, type CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { accountsQuery, toAccountSummary } from './search';

export interface NewAccount {
  accountId: string;
  divisionId: string;
  accountNumber: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  postalAddress?: string | null;
  portalUserId?: string | null;
}

/** Inserts a payer account (shared by Add Payer and file imports). Number unique within its division. */
export async function insertAccount(ctx: CommandCtx, a: NewAccount): Promise<Database['accounts']> {
  const div = await ctx.db.selectFrom('divisions').select('id').where('id', '=', a.divisionId).executeTakeFirst();
  if (!div) fail('NOT_FOUND', 'That division does not exist.', { field: 'divisionId' });
  const clash = await ctx.db
    .selectFrom('accounts')
    .select('id')
    .where('division_id', '=', a.divisionId)
    .where('account_number', '=', a.accountNumber)
    .executeTakeFirst();
  if (clash) fail('CONFLICT', `Account number ${a.accountNumber} already exists in this division.`, { field: 'accountNumber' });
  const row: Database['accounts'] = {
    id: a.accountId,
    division_id: a.divisionId,
    account_number: a.accountNumber,
    name: a.name,
    email: a.email || null,
    phone: a.phone || null,
    postal_address: a.postalAddress ? a.postalAddress.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('\n') || null : null,
    portal_user_id: a.portalUserId ? a.portalUserId.toLowerCase() : null,
    status: 'active',
    balance_cents: 0,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
  await ctx.db.insertInto('accounts').values(row).execute();
  await ctx.audit({ action: 'create', entity: 'account', entityId: row.id, after: row });
  ctx.changed('accounts');
  return row;
}

export async function loadAccountSummary(ctx: Pick<CommandCtx, 'db'>, accountId: string) {
  const r = await accountsQuery(ctx.db).where('accounts.id', '=', accountId).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
  return toAccountSummary(r as never);
}

export const createAccount = defineCommand({
  name: 'accounts.create',
  version: 1,
  // Who may add a payer is a setting (payerIdentityRoles; default Supervisors and Admins).
  roles: ANY_ROLE,
  roleRule: 'payerIdentityRoles',
  input: accountsContract['accounts.create'].input,
  synced: true,
  prepare: (i) => (i.accountId ? {} : { accountId: newId() }),
  subject: (i) => i.accountId,
  run: async (ctx, i) => {
    await assertMay(ctx.db, ctx.actor.role, 'payerIdentityRoles');
    await insertAccount(ctx, { ...i, accountId: i.accountId! });
    return loadAccountSummary(ctx, i.accountId!);
  },
});

export const setAccountStatus = defineCommand({
  name: 'accounts.setStatus',
  version: 1,
  roles: ANY_ROLE,
  roleRule: 'payerIdentityRoles',
  input: accountsContract['accounts.setStatus'].input,
  synced: true,
  subject: (i) => i.accountId,
  run: async (ctx, i) => {
    await assertMay(ctx.db, ctx.actor.role, 'payerIdentityRoles', 'status');
    const before = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', i.accountId).executeTakeFirst();
    if (!before) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
    await ctx.db.updateTable('accounts').set({ status: i.status, updated_at: ctx.now }).where('id', '=', i.accountId).execute();
    await ctx.audit({ action: 'set-status', entity: 'account', entityId: i.accountId, before: { status: before.status }, after: { status: i.status, reason: i.reason } });
    ctx.changed('accounts');
    return loadAccountSummary(ctx, i.accountId);
  },
});

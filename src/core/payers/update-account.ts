import { accountsContract } from '../../shared/contract/payers';
import { fail } from '../../shared/result';
import { ANY_ROLE, SUPERVISORS } from '../../shared/roles';
import { defineCommand } from '../commands/types';
import { loadAccountSummary } from './accounts';

/** Fields a CSR may change (contact details); the rest identify the payer and need a supervisor. */
const CONTACT_FIELDS = ['email'] as const;
const IDENTITY_FIELDS = ['name', 'accountNumber', 'portalUserId'] as const;

/**
 * Edit Payer: changes what was given, audited with each field before and after. The role rule is
 * here, per field, so the desktop and the server refuse the same edits.
 */
export const updateAccount = defineCommand({
  name: 'accounts.update',
  version: 1,
  roles: ANY_ROLE,
  input: accountsContract['accounts.update'].input,
  synced: true,
  subject: (i) => i.accountId,
  run: async (ctx, i) => {
    const before = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', i.accountId).executeTakeFirst();
    if (!before) fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
    const asked = [...CONTACT_FIELDS, ...IDENTITY_FIELDS].filter((k) => i[k] !== undefined);
    if (asked.length === 0) fail('VALIDATION', 'Nothing to change.');
    const next = {
      email: i.email === undefined ? before.email : i.email || null,
      name: i.name ?? before.name,
      account_number: i.accountNumber ?? before.account_number,
      portal_user_id: i.portalUserId === undefined ? before.portal_user_id : i.portalUserId ? i.portalUserId.toLowerCase() : null,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k]);
    const identity = changed.filter((k) => k !== 'email');
    if (identity.length > 0 && !SUPERVISORS.includes(ctx.actor.role)) {
      const field = identity[0] === 'account_number' ? 'accountNumber' : identity[0] === 'portal_user_id' ? 'portalUserId' : 'name';
      fail('FORBIDDEN', 'Only a supervisor or an administrator may change a payer’s name, account number or portal user ID.', { field });
    }
    if (changed.length === 0) return loadAccountSummary(ctx, i.accountId);
    if (changed.includes('account_number')) {
      const clash = await ctx.db
        .selectFrom('accounts')
        .select('id')
        .where('division_id', '=', before.division_id)
        .where('account_number', '=', next.account_number)
        .where('id', '<>', before.id)
        .executeTakeFirst();
      if (clash) fail('CONFLICT', `Account number ${next.account_number} already exists in this division.`, { field: 'accountNumber' });
    }
    await ctx.db.updateTable('accounts').set({ ...next, updated_at: ctx.now }).where('id', '=', i.accountId).execute();
    await ctx.audit({
      action: 'update',
      entity: 'account',
      entityId: i.accountId,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, next[k]])),
    });
    ctx.changed('accounts');
    return loadAccountSummary(ctx, i.accountId);
  },
});

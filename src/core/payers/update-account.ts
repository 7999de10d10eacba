import { accountsContract } from '../../shared/contract/payers';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { defineCommand } from '../commands/types';
import type { Database } from '../db/schema';
import { assertMay } from '../settings/role-rules';
import { loadAccountSummary } from './accounts';

type Row = Database['accounts'];
/** Input field -> column. Contact details are one role rule, identity (name, numbers, status) another. */
const CONTACT = { email: 'email', phone: 'phone', postalAddress: 'postal_address' } as const;
const IDENTITY = { name: 'name', accountNumber: 'account_number', portalUserId: 'portal_user_id', status: 'status' } as const;
type Field = keyof typeof CONTACT | keyof typeof IDENTITY;
const COLUMN: Record<Field, keyof Row> = { ...CONTACT, ...IDENTITY };

/** Blank text clears an optional field; addresses keep their lines, trimmed each. */
const blankToNull = (s: string) => (s.trim() === '' ? null : s);
const normalAddress = (s: string) => blankToNull(s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('\n'));

/**
 * Edit Payer: changes what was given, audited with each field before and after. The role rules
 * (Settings: payerContactRoles, payerIdentityRoles) are checked here, per field, so the desktop and
 * the server refuse the same edits. A status change needs a reason, kept in the audit entry.
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
    const asked = (Object.keys(COLUMN) as Field[]).filter((k) => i[k] !== undefined);
    if (asked.length === 0) fail('VALIDATION', 'Nothing to change.');
    const next: Partial<Row> = {};
    for (const f of asked) {
      const v = i[f]!;
      const value = f === 'postalAddress' ? normalAddress(v) : f === 'portalUserId' ? blankToNull(v)?.toLowerCase() ?? null : f === 'email' || f === 'phone' ? blankToNull(v) : v;
      if ((before[COLUMN[f]] ?? null) !== value) (next as Record<string, unknown>)[COLUMN[f]] = value;
    }
    const changed = asked.filter((f) => COLUMN[f] in next);
    if (changed.length === 0) return loadAccountSummary(ctx, i.accountId);
    const identity = changed.filter((f) => f in IDENTITY);
    const contact = changed.filter((f) => f in CONTACT);
    if (identity.length) await assertMay(ctx.db, ctx.actor.role, 'payerIdentityRoles', identity[0]);
    if (contact.length) await assertMay(ctx.db, ctx.actor.role, 'payerContactRoles', contact[0]);
    if (changed.includes('status') && !i.statusReason) fail('VALIDATION', 'Enter a reason for the status change.', { field: 'statusReason' });
    if (next.account_number !== undefined) {
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
    const cols = changed.map((f) => COLUMN[f]);
    await ctx.audit({
      action: 'update',
      entity: 'account',
      entityId: i.accountId,
      before: Object.fromEntries(cols.map((c) => [c, before[c] ?? null])),
      after: { ...Object.fromEntries(cols.map((c) => [c, next[c]])), ...(changed.includes('status') ? { reason: i.statusReason } : {}) },
    });
    ctx.changed('accounts');
    return loadAccountSummary(ctx, i.accountId);
  },
});

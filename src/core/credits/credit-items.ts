import { sql } from 'kysely';
import { creditsContract } from '../../shared/contract/credits';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ADMINS, ANY_ROLE } from '../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../commands/types';
import { listCreditItems, loadCreditItem } from './credit-views';

/**
 * Credit (discount) items. Anyone posting a credit may create one on the spot (seed 002: "or create
 * a new Discount Item"); Administrators edit and retire them. A retired item is no longer offered,
 * and stays on the credits posted with it.
 */

async function assertNameFree(ctx: CommandCtx, name: string, exceptId?: string): Promise<void> {
  let q = ctx.db.selectFrom('credit_items').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).where('status', '=', 'active');
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) fail('CONFLICT', `A credit item named "${name}" already exists.`, { field: 'name' });
}

async function loadRow(ctx: CommandCtx, id: string) {
  const r = await ctx.db.selectFrom('credit_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That credit item does not exist.', { field: 'creditItemId' });
  return r;
}

export const createCreditItem = defineCommand({
  name: 'creditItems.create',
  version: 1,
  roles: ANY_ROLE,
  input: creditsContract['creditItems.create'].input,
  synced: true,
  prepare: (i) => (i.creditItemId ? {} : { creditItemId: newId() }),
  subject: (i) => i.creditItemId,
  run: async (ctx, i) => {
    await assertNameFree(ctx, i.name);
    const row = {
      id: i.creditItemId!,
      name: i.name,
      description: i.description ?? '',
      status: 'active' as const,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
      updated_at: ctx.now,
      retired_at: null,
    };
    if (await ctx.db.selectFrom('credit_items').select('id').where('id', '=', row.id).executeTakeFirst()) fail('CONFLICT', 'This credit item already exists.', { field: 'creditItemId' });
    await ctx.db.insertInto('credit_items').values(row).execute();
    await ctx.audit({ action: 'create', entity: 'credit_item', entityId: row.id, after: row });
    ctx.changed('creditItems');
    return loadCreditItem(ctx.db, row.id);
  },
});

export const updateCreditItem = defineCommand({
  name: 'creditItems.update',
  version: 1,
  roles: ADMINS,
  input: creditsContract['creditItems.update'].input,
  synced: true,
  subject: (i) => i.creditItemId,
  run: async (ctx, i) => {
    const before = await loadRow(ctx, i.creditItemId!);
    await assertNameFree(ctx, i.name, before.id);
    const after = { name: i.name, description: i.description ?? before.description, updated_at: ctx.now };
    await ctx.db.updateTable('credit_items').set(after).where('id', '=', before.id).execute();
    await ctx.audit({ action: 'update', entity: 'credit_item', entityId: before.id, before: { name: before.name, description: before.description }, after });
    ctx.changed('creditItems', 'credits');
    return loadCreditItem(ctx.db, before.id);
  },
});

export const retireCreditItem = defineCommand({
  name: 'creditItems.retire',
  version: 1,
  roles: ADMINS,
  input: creditsContract['creditItems.retire'].input,
  synced: true,
  subject: (i) => i.creditItemId,
  run: async (ctx, i) => {
    const before = await loadRow(ctx, i.creditItemId);
    if (before.status === 'retired') fail('CONFLICT', `"${before.name}" is already retired.`, { field: 'creditItemId' });
    await ctx.db.updateTable('credit_items').set({ status: 'retired', retired_at: ctx.now, updated_at: ctx.now }).where('id', '=', before.id).execute();
    await ctx.audit({ action: 'retire', entity: 'credit_item', entityId: before.id, before: { status: before.status }, after: { status: 'retired' } });
    ctx.changed('creditItems', 'credits');
    return loadCreditItem(ctx.db, before.id);
  },
});

export const restoreCreditItem = defineCommand({
  name: 'creditItems.restore',
  version: 1,
  roles: ADMINS,
  input: creditsContract['creditItems.restore'].input,
  synced: true,
  subject: (i) => i.creditItemId,
  run: async (ctx, i) => {
    const before = await loadRow(ctx, i.creditItemId);
    if (before.status === 'active') fail('CONFLICT', `"${before.name}" is not retired.`, { field: 'creditItemId' });
    await assertNameFree(ctx, before.name, before.id);
    await ctx.db.updateTable('credit_items').set({ status: 'active', retired_at: null, updated_at: ctx.now }).where('id', '=', before.id).execute();
    await ctx.audit({ action: 'restore', entity: 'credit_item', entityId: before.id, before: { status: before.status }, after: { status: 'active' } });
    ctx.changed('creditItems', 'credits');
    return loadCreditItem(ctx.db, before.id);
  },
});

export const listCreditItemsQuery = defineQuery({
  name: 'creditItems.list',
  roles: ANY_ROLE,
  input: creditsContract['creditItems.list'].input,
  run: ({ db }, i) => listCreditItems(db, i.includeRetired ?? false),
});

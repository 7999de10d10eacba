import { sql } from 'kysely';
import { creditsContract } from '../../shared/contract/credits';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ADMINS, ANY_ROLE } from '../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../commands/types';
import { setCatalogStatus, type CatalogSpec } from '../catalog/retire-restore';
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

/** Credit items retire and restore by the catalogs' one rule; an item keeps when it was retired. */
const creditItemCatalog: CatalogSpec<Awaited<ReturnType<typeof loadRow>>> = {
  entity: 'credit_item',
  field: 'creditItemId',
  assertNameFree: (ctx, item) => assertNameFree(ctx, item.name, item.id),
  writeStatus: (ctx, id, to) =>
    ctx.db
      .updateTable('credit_items')
      .set({ status: to, retired_at: to === 'retired' ? ctx.now : null, updated_at: ctx.now })
      .where('id', '=', id)
      .execute(),
};

export const retireCreditItem = defineCommand({
  name: 'creditItems.retire',
  version: 1,
  roles: ADMINS,
  input: creditsContract['creditItems.retire'].input,
  synced: true,
  subject: (i) => i.creditItemId,
  run: async (ctx, i) => {
    await setCatalogStatus(ctx, creditItemCatalog, await loadRow(ctx, i.creditItemId), 'retired');
    ctx.changed('creditItems', 'credits');
    return loadCreditItem(ctx.db, i.creditItemId);
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
    await setCatalogStatus(ctx, creditItemCatalog, await loadRow(ctx, i.creditItemId), 'active');
    ctx.changed('creditItems', 'credits');
    return loadCreditItem(ctx.db, i.creditItemId);
  },
});

export const listCreditItemsQuery = defineQuery({
  name: 'creditItems.list',
  roles: ANY_ROLE,
  input: creditsContract['creditItems.list'].input,
  run: ({ db }, i) => listCreditItems(db, i.includeRetired ?? false),
});

import { payersContract } from '../../shared/contract/payers';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ADMINS, ANY_ROLE } from '../../shared/roles';
import { defineCommand, defineQuery } from '../commands/types';

export const listDivisions = defineQuery({
  name: 'divisions.list',
  roles: ANY_ROLE,
  input: payersContract['divisions.list'].input,
  run: async ({ db }) => db.selectFrom('divisions').select(['id', 'name']).orderBy('name').execute(),
});

export const createDivision = defineCommand({
  name: 'divisions.create',
  version: 1,
  roles: ADMINS,
  input: payersContract['divisions.create'].input,
  synced: true,
  prepare: (i) => (i.divisionId ? {} : { divisionId: newId() }),
  run: async (ctx, i) => {
    const clash = await ctx.db.selectFrom('divisions').select('id').where('name', '=', i.name).executeTakeFirst();
    if (clash) fail('CONFLICT', `A division named "${i.name}" already exists.`, { field: 'name' });
    const row = { id: i.divisionId!, name: i.name, created_at: ctx.now };
    await ctx.db.insertInto('divisions').values(row).execute();
    await ctx.audit({ action: 'create', entity: 'division', entityId: row.id, after: row });
    ctx.changed('divisions');
    return { id: row.id, name: row.name };
  },
});

/** Renaming keeps the id, so accounts, deposits and imports stay in the division; audited before/after. */
export const renameDivision = defineCommand({
  name: 'divisions.rename',
  version: 1,
  roles: ADMINS,
  input: payersContract['divisions.rename'].input,
  synced: true,
  run: async (ctx, i) => {
    const before = await ctx.db.selectFrom('divisions').selectAll().where('id', '=', i.divisionId).executeTakeFirst();
    if (!before) fail('NOT_FOUND', 'That division does not exist.', { field: 'divisionId' });
    if (before.name === i.name) return { id: before.id, name: before.name };
    const clash = await ctx.db.selectFrom('divisions').select('id').where('name', '=', i.name).where('id', '!=', i.divisionId).executeTakeFirst();
    if (clash) fail('CONFLICT', `A division named "${i.name}" already exists.`, { field: 'name' });
    await ctx.db.updateTable('divisions').set({ name: i.name }).where('id', '=', i.divisionId).execute();
    await ctx.audit({ action: 'rename', entity: 'division', entityId: i.divisionId, before: { name: before.name }, after: { name: i.name } });
    ctx.changed('divisions');
    return { id: i.divisionId, name: i.name };
  },
});

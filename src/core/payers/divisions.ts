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

import type { Kysely } from 'kysely';
import { adminContract } from '../../shared/contract/admin';
import type { SettingsDTO } from '../../shared/contract/dto';
import { ADMINS, ANY_ROLE } from '../../shared/roles';
import { defineCommand, defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { prepared } from '../db/prepared';

export const DEFAULT_SETTINGS: SettingsDTO = {
  idleMinutes: 15,
  strictClose: false,
  officeName: 'Ledgerdesk Office',
  officeContact: '',
  officeTimeZone: '',
  postDatedAfterDays: 1,
  refundApprovalAboveCents: null,
  // As the help pages describe: CSRs upload balance files (seed 000), only Admins bill files.
  balanceFileRoles: ['csr', 'supervisor', 'admin'],
  billFileRoles: ['admin'],
  refundApproverRoles: ['supervisor', 'admin'],
  payerContactRoles: ['csr', 'supervisor', 'admin'],
  payerIdentityRoles: ['supervisor', 'admin'],
};

export async function readSettings(db: Kysely<Database>): Promise<SettingsDTO> {
  const rows = await settingRows.rows(db);
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) if (r.key in DEFAULT_SETTINGS) out[r.key] = JSON.parse(r.value);
  return out as unknown as SettingsDTO;
}

// Read by most commands (a pushed batch runs thousands): compiled once (prepared.ts).
const settingRows = prepared((db) => db.selectFrom('settings').select(['key', 'value']));

export const getSettings = defineQuery({
  name: 'settings.get',
  roles: ANY_ROLE,
  input: adminContract['settings.get'].input,
  run: ({ db }) => readSettings(db),
});

export const updateSettings = defineCommand({
  name: 'settings.update',
  version: 1,
  roles: ADMINS,
  input: adminContract['settings.update'].input,
  synced: true,
  run: async (ctx, patch) => {
    const before = await readSettings(ctx.db);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const v = JSON.stringify(value);
      await ctx.db
        .insertInto('settings')
        .values({ key, value: v, updated_at: ctx.now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: ctx.now }))
        .execute();
    }
    const after = await readSettings(ctx.db);
    await ctx.audit({ action: 'update', entity: 'settings', entityId: null, before, after });
    ctx.changed('settings');
    return after;
  },
});

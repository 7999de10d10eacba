import { sql, type Kysely } from 'kysely';
import { notificationsContract, type ChannelMode, type LevelDTO, type ProfileDTO } from '../../shared/contract/notifications';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ADMINS, SUPERVISORS } from '../../shared/roles';
import { defineCommand, defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { levelOffset } from './levels';
import { unknownMergeFields } from './templates';

type ProfileRow = Database['statement_profiles'];

export function toProfile(r: ProfileRow & { division_name?: string | null }, counts?: { queued: number; errors: number }): ProfileDTO {
  return {
    id: r.id,
    name: r.name,
    divisionId: r.division_id,
    divisionName: r.division_name ?? null,
    minBalanceCents: Number(r.min_balance_cents),
    minDaysPastDue: Number(r.min_days_past_due),
    sendTime: r.send_time,
    channelMode: r.channel_mode as ChannelMode,
    active: r.active === 1,
    includePayLink: r.include_pay_link === 1,
    version: Number(r.version),
    levels: JSON.parse(r.levels_json) as LevelDTO[],
    updatedAt: r.updated_at,
    queued: counts?.queued ?? 0,
    errors: counts?.errors ?? 0,
  };
}

export async function loadProfile(db: Kysely<Database>, profileId: string): Promise<ProfileDTO> {
  const r = await db
    .selectFrom('statement_profiles')
    .leftJoin('divisions', 'divisions.id', 'statement_profiles.division_id')
    .selectAll('statement_profiles')
    .select('divisions.name as division_name')
    .where('statement_profiles.id', '=', profileId)
    .executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That statement profile does not exist.', { field: 'profileId' });
  return toProfile(r);
}

const PARTS = [
  ['emailSubject', 'email subject'],
  ['emailBody', 'email body'],
  ['letterBody', 'letter'],
] as const;

/**
 * A template naming a merge field that is not on the whitelist is refused, with the field named, so
 * no payer ever receives "Dear {{patient_nmae}}".
 */
export function checkLevels(levels: Omit<LevelDTO, 'level'>[]): void {
  levels.forEach((l, i) => {
    for (const [key, label] of PARTS) {
      const unknown = unknownMergeFields(l[key]);
      if (unknown.length > 0) {
        fail('VALIDATION', `Level ${i + 1} (${l.name}) ${label}: unknown merge field ${unknown.map((u) => `{{${u}}}`).join(', ')}.`, {
          field: `levels.${i}.${key}`,
          unknownFields: unknown,
        });
      }
    }
    if (!l.emailSubject.trim()) fail('VALIDATION', `Level ${i + 1} (${l.name}): enter the email subject.`, { field: `levels.${i}.emailSubject` });
    if (!l.emailBody.trim()) fail('VALIDATION', `Level ${i + 1} (${l.name}): enter the email body.`, { field: `levels.${i}.emailBody` });
    if (!l.letterBody.trim()) fail('VALIDATION', `Level ${i + 1} (${l.name}): enter the letter.`, { field: `levels.${i}.letterBody` });
    if (i > 0 && levelOffset(l) <= levelOffset(levels[i - 1]!)) {
      fail('VALIDATION', `Level ${i + 1} (${l.name}) must come later than level ${i} (${levels[i - 1]!.name}): dunning levels escalate.`, { field: `levels.${i}.days` });
    }
  });
}

export const saveProfile = defineCommand({
  name: 'statementProfiles.save',
  version: 1,
  roles: ADMINS,
  input: notificationsContract['statementProfiles.save'].input,
  synced: true,
  prepare: (i) => (i.profileId ? {} : { profileId: newId() }),
  subject: (i) => i.profileId,
  run: async (ctx, i) => {
    checkLevels(i.levels);
    if (i.minBalance < 0) fail('VALIDATION', 'The minimum balance cannot be negative.', { field: 'minBalance' });
    if (i.divisionId) {
      const d = await ctx.db.selectFrom('divisions').select('id').where('id', '=', i.divisionId).executeTakeFirst();
      if (!d) fail('NOT_FOUND', 'That division does not exist.', { field: 'divisionId' });
    }
    const clash = await ctx.db.selectFrom('statement_profiles').select('id').where('name', '=', i.name).where('id', '!=', i.profileId!).executeTakeFirst();
    if (clash) fail('CONFLICT', `A statement profile named "${i.name}" already exists.`, { field: 'name' });
    const levels: LevelDTO[] = i.levels.map((l, n) => ({ ...l, level: n + 1 }));
    const before = await ctx.db.selectFrom('statement_profiles').selectAll().where('id', '=', i.profileId!).executeTakeFirst();
    const row: ProfileRow = {
      id: i.profileId!,
      name: i.name,
      division_id: i.divisionId,
      min_balance_cents: i.minBalance,
      min_days_past_due: i.minDaysPastDue,
      send_time: i.sendTime,
      channel_mode: i.channelMode,
      active: i.active ? 1 : 0,
      include_pay_link: i.includePayLink ? 1 : 0,
      version: before ? Number(before.version) + 1 : 1,
      levels_json: JSON.stringify(levels),
      created_at: before?.created_at ?? ctx.now,
      updated_at: ctx.now,
    };
    if (before) await ctx.db.updateTable('statement_profiles').set(row).where('id', '=', row.id).execute();
    else await ctx.db.insertInto('statement_profiles').values(row).execute();
    await ctx.audit({ action: before ? 'update' : 'create', entity: 'statement_profile', entityId: row.id, before: before ?? undefined, after: row });
    ctx.changed('statement_profiles');
    return loadProfile(ctx.db, row.id);
  },
});

export const listProfiles = defineQuery({
  name: 'statementProfiles.list',
  roles: SUPERVISORS,
  input: notificationsContract['statementProfiles.list'].input,
  run: async ({ db }) => {
    const rows = await db
      .selectFrom('statement_profiles')
      .leftJoin('divisions', 'divisions.id', 'statement_profiles.division_id')
      .selectAll('statement_profiles')
      .select('divisions.name as division_name')
      .orderBy('statement_profiles.name')
      .execute();
    const counts = await db
      .selectFrom('notifications')
      .select(['profile_id', 'status', sql<number>`COUNT(*)`.as('n')])
      .where('status', 'in', ['queued', 'error'])
      .groupBy(['profile_id', 'status'])
      .execute();
    return rows.map((r) =>
      toProfile(r, {
        queued: Number(counts.find((c) => c.profile_id === r.id && c.status === 'queued')?.n ?? 0),
        errors: Number(counts.find((c) => c.profile_id === r.id && c.status === 'error')?.n ?? 0),
      }),
    );
  },
});

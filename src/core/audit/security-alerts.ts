import type { Kysely } from 'kysely';
import { adminContract } from '../../shared/contract/admin';
import type { SecurityAlertDTO } from '../../shared/contract/dto';
import { ADMINS } from '../../shared/roles';
import { fail } from '../../shared/result';
import { defineCommand, defineQuery } from '../commands/types';
import type { Database } from '../db/schema';

/** What an alert means, for an Admin reading it. */
function describe(kind: string, source: SecurityAlertDTO['source'], detail: Record<string, unknown>): string {
  const where = source === 'server' ? 'on the server' : 'on this desk';
  switch (kind) {
    case 'audit-entry-differs':
      return `A desk sent audit entry ${String(detail.seq)} different from the one the server already holds; the server refused it.`;
    case 'audit-chain-broken':
      return `A desk sent audit entries that do not verify (${String(detail.reason)}); the server refused them.`;
    case 'audit-verify-failed':
      return `The audit log ${where} did not verify at start-up: ${String(detail.reason)}.`;
    default:
      return `${kind} ${where}.`;
  }
}

async function loadAlerts(db: Kysely<Database>, includeAcknowledged: boolean): Promise<SecurityAlertDTO[]> {
  let server = db.selectFrom('security_alerts').selectAll();
  let local = db.selectFrom('local_security_alerts').selectAll();
  if (!includeAcknowledged) {
    server = server.where('acknowledged_at', 'is', null);
    local = local.where('acknowledged_at', 'is', null);
  }
  const names = new Map((await db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [u.id, u.display_name]));
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const parse = (j: string) => {
    try {
      return JSON.parse(j) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const rows: SecurityAlertDTO[] = [
    ...(await server.execute()).map((a) => ({
      id: a.id,
      at: a.at,
      kind: a.kind,
      source: 'server' as const,
      description: describe(a.kind, 'server', parse(a.detail_json)),
      clientId: a.client_id,
      userName: name(a.user_id),
      acknowledgedAt: a.acknowledged_at ?? null,
      acknowledgedBy: name(a.acknowledged_by ?? null),
    })),
    ...(await local.execute()).map((a) => ({
      id: a.id,
      at: a.at,
      kind: a.kind,
      source: 'this desk' as const,
      description: describe(a.kind, 'this desk', parse(a.detail_json)),
      clientId: null,
      userName: null,
      acknowledgedAt: a.acknowledged_at,
      acknowledgedBy: name(a.acknowledged_by),
    })),
  ];
  return rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export const listSecurityAlerts = defineQuery({
  name: 'security.alerts.list',
  roles: ADMINS,
  input: adminContract['security.alerts.list'].input,
  run: ({ db }, i) => loadAlerts(db, i.includeAcknowledged ?? false),
});

/**
 * An Admin has seen the alert. Kept on this machine (acknowledging is a note, not ledger data; on a
 * server-raised alert the columns are per machine, LOCAL_COLUMNS), and audited like any other act.
 */
export const acknowledgeSecurityAlert = defineCommand({
  name: 'security.alerts.acknowledge',
  version: 1,
  roles: ADMINS,
  input: adminContract['security.alerts.acknowledge'].input,
  synced: false,
  run: async (ctx, i) => {
    const set = { acknowledged_at: ctx.now, acknowledged_by: ctx.actor.userId };
    const server = await ctx.db.updateTable('security_alerts').set(set).where('id', '=', i.id).where('acknowledged_at', 'is', null).executeTakeFirst();
    const local = await ctx.db.updateTable('local_security_alerts').set(set).where('id', '=', i.id).where('acknowledged_at', 'is', null).executeTakeFirst();
    if (Number(server.numUpdatedRows) + Number(local.numUpdatedRows) === 0) {
      const known = (await ctx.db.selectFrom('security_alerts').select('id').where('id', '=', i.id).executeTakeFirst()) ?? (await ctx.db.selectFrom('local_security_alerts').select('id').where('id', '=', i.id).executeTakeFirst());
      fail(known ? 'CONFLICT' : 'NOT_FOUND', known ? 'This alert was already acknowledged.' : 'No such security alert.', { field: 'id' });
    }
    await ctx.audit({ action: 'acknowledge', entity: 'security_alert', entityId: i.id, after: { acknowledgedAt: ctx.now } });
    const all = await loadAlerts(ctx.db, true);
    return all.find((a) => a.id === i.id)!;
  },
});

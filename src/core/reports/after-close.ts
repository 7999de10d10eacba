import { sql, type Kysely } from 'kysely';
import type { AfterCloseChangeDTO } from '../../shared/contract/periods';
import { periodsContract } from '../../shared/contract/periods';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';

/**
 * Changes made to a month's records after the month was first closed (possible only while an
 * admin had reopened it): audit entries after `first_closed_at` about payments, deposits and
 * invoices dated in the month, and the month's own reopen/close entries.
 */
function changesQuery(db: Kysely<Database>, period: string, firstClosedAt: string) {
  const recordDate = sql<string | null>`CASE audit_log.entity
      WHEN 'payment' THEN (SELECT payment_date FROM payments WHERE payments.id = audit_log.entity_id)
      WHEN 'deposit' THEN (SELECT deposit_date FROM deposits WHERE deposits.id = audit_log.entity_id)
      WHEN 'invoice' THEN (SELECT invoice_date FROM invoices WHERE invoices.id = audit_log.entity_id)
      WHEN 'period' THEN audit_log.entity_id || '-01'
    END`;
  return db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select([
      'audit_log.seq',
      'audit_log.at',
      'users.display_name',
      'audit_log.action',
      'audit_log.entity',
      'audit_log.entity_id',
      'audit_log.before_json',
      'audit_log.after_json',
      recordDate.as('record_date'),
    ])
    .where('audit_log.at', '>', firstClosedAt)
    .where('audit_log.entity', 'in', ['payment', 'deposit', 'invoice', 'period'])
    .where('audit_log.action', '!=', 'denied')
    .where(recordDate, '>=', `${period}-01`)
    .where(recordDate, '<=', `${period}-31`);
}

export async function countChangesAfterClose(db: Kysely<Database>, period: string, firstClosedAt: string): Promise<number> {
  const rows = await changesQuery(db, period, firstClosedAt).execute();
  return rows.length;
}

export async function listChangesAfterClose(db: Kysely<Database>, period: string): Promise<{ period: string; firstClosedAt: string | null; changes: AfterCloseChangeDTO[] }> {
  const p = await db.selectFrom('periods').select('first_closed_at').where('period', '=', period).executeTakeFirst();
  if (!p?.first_closed_at) return { period, firstClosedAt: null, changes: [] };
  const rows = await changesQuery(db, period, p.first_closed_at).orderBy('audit_log.seq').limit(5000).execute();
  return {
    period,
    firstClosedAt: p.first_closed_at,
    changes: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      userName: r.display_name,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before_json ? JSON.parse(r.before_json) : null,
      after: r.after_json ? JSON.parse(r.after_json) : null,
      recordDate: r.record_date,
    })),
  };
}

export const afterCloseReport = defineQuery({
  name: 'reports.afterClose',
  roles: SUPERVISORS,
  input: periodsContract['reports.afterClose'].input,
  run: ({ db }, i) => listChangesAfterClose(db, i.period),
});

import { adminContract } from '../../shared/contract/admin';
import { ADMINS, SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import { verifyAuditChain } from './audit-log';

export const listAudit = defineQuery({
  name: 'audit.list',
  roles: SUPERVISORS,
  input: adminContract['audit.list'].input,
  run: async ({ db }, i) => {
    let q = db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.user_id')
      .select(['audit_log.seq', 'audit_log.at', 'users.display_name', 'audit_log.action', 'audit_log.entity', 'audit_log.entity_id', 'audit_log.before_json', 'audit_log.after_json']);
    if (i.entity) q = q.where('audit_log.entity', '=', i.entity);
    if (i.entityId) q = q.where('audit_log.entity_id', '=', i.entityId);
    const rows = await q.orderBy('audit_log.seq', 'desc').limit(i.limit ?? 200).execute();
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      userName: r.display_name,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before_json ? JSON.parse(r.before_json) : null,
      after: r.after_json ? JSON.parse(r.after_json) : null,
    }));
  },
});

export const verifyAudit = defineQuery({
  name: 'audit.verify',
  roles: ADMINS,
  input: adminContract['audit.verify'].input,
  run: ({ db }) => verifyAuditChain(db),
});

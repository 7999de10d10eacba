import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import type { Database } from '../db/schema';
import { sealAuditHead, verifyAuditChain, type ChainCheck } from './audit-log';

/**
 * The audit check every machine runs when it starts: seal a head not sealed yet, verify the whole
 * chain, and on failure raise a security alert for Admins. The app opens either way: a broken log
 * is a matter for an Admin, not a reason to stop the office taking payments.
 * - a desk keeps its alert to itself (`local_security_alerts`);
 * - the server raises it in `security_alerts`, which reaches Admins' desks.
 */
export async function checkAuditAtStart(db: Kysely<Database>, at: string, where: 'desk' | 'server'): Promise<ChainCheck> {
  await sealAuditHead(db);
  const check = await verifyAuditChain(db);
  if (check.ok) return check;
  const detail = JSON.stringify({ reason: check.reason, brokenAt: check.brokenAt, entries: check.entries });
  if (where === 'desk') {
    // One open alert per distinct failure: restarting does not pile up copies.
    const open = await db.selectFrom('local_security_alerts').select('id').where('kind', '=', 'audit-verify-failed').where('detail_json', '=', detail).where('acknowledged_at', 'is', null).executeTakeFirst();
    if (!open) await db.insertInto('local_security_alerts').values({ id: newId(), at, kind: 'audit-verify-failed', detail_json: detail, acknowledged_at: null, acknowledged_by: null }).execute();
  } else {
    const open = await db.selectFrom('security_alerts').select('id').where('kind', '=', 'audit-verify-failed').where('detail_json', '=', detail).where('acknowledged_at', 'is', null).executeTakeFirst();
    if (!open) await db.insertInto('security_alerts').values({ id: newId(), at, kind: 'audit-verify-failed', client_id: null, user_id: null, detail_json: detail, acknowledged_at: null, acknowledged_by: null }).execute();
  }
  return check;
}

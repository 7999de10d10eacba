import { recordAuditAck } from '../../core/audit/audit-log';
import { getState, setState } from '../../core/sync/client-apply';
import { isDeviceRefusal } from './device-identity';
import type { ServerLink } from './server-link';

const AUDIT_WIRE_COLUMNS = ['seq', 'id', 'at', 'user_id', 'action', 'entity', 'entity_id', 'before_json', 'after_json', 'prev_hash', 'hash'] as const;
const AUDIT_PAGE = 2000;

type AuditAnswer = { acceptedThrough: number; head?: { seq: number; hash: string } };

/** The desk's audit chain goes to the server, which verifies every link on arrival. */
export async function shipAudit(link: ServerLink): Promise<void> {
  const { core } = link;
  for (;;) {
    const token = await link.anyToken();
    if (!token) return;
    const head = Number((await getState(core.db, 'auditPushedSeq')) ?? 0);
    // The entries as the server checks them (plain links); the MAC stays here, it is this desk's seal.
    const entries = await core.db.selectFrom('audit_log').select(AUDIT_WIRE_COLUMNS).where('seq', '>', head).orderBy('seq').limit(AUDIT_PAGE).execute();
    if (entries.length === 0) return;
    let r: AuditAnswer;
    try {
      r = await link.call<AuditAnswer>(token, 'POST', '/v1/audit/push', { json: { clientId: link.clientId, entries }, headers: link.device });
    } catch (e) {
      if (isDeviceRefusal(e)) await link.identity.forget();
      throw e;
    }
    await core.executor.serial(async () => {
      await setState(core.db, 'auditPushedSeq', String(r.acceptedThrough));
      // The server's acknowledgement, sealed: a tail removed after this is caught by verification.
      if (r.head && r.head.seq > 0) await recordAuditAck(core.db, r.head.seq, r.head.hash);
    });
    if (entries.length < AUDIT_PAGE) return;
  }
}

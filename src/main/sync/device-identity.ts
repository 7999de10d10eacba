import { sql } from 'kysely';
import type { LedgerCore } from '../../core/ledger-core';
import { getState, setState } from '../../core/sync/client-apply';
import { DEVICE_HEADER, type ClientRecord, type RegisterClientResponse } from '../../core/sync/device-protocol';
import { ServerError, type ServerApi } from './server-api';
import type { DeviceCredential, DeviceStore } from './token-store';

/** Fallback when the token store keeps no device file: the ledger's own sync state. */
export function ledgerDeviceStore(core: LedgerCore): DeviceStore {
  return {
    get: async () => {
      const v = await getState(core.db, 'device');
      return v ? (JSON.parse(v) as DeviceCredential) : null;
    },
    set: async (d) => core.executor.serial(() => setState(core.db, 'device', JSON.stringify(d))),
  };
}

/** The sync state key holding the office chosen when this desk joined, sent at registration. */
export const DESK_OFFICE = 'deskOffice';

export const isDeviceRefusal = (e: unknown): boolean => e instanceof ServerError && e.status === 403 && e.details?.reason === 'device';

/**
 * Why this desk's copy is behind the server's record of it, or null. A desk restored from a backup
 * has a lower command sequence or an audit chain that no longer matches what the server holds; it
 * must not reuse its client id (its new commands would be "older" and its audit chain refused).
 */
export async function behindServer(core: LedgerCore, rec: ClientRecord): Promise<string | null> {
  const ctl = (await sql<{ n: number }>`SELECT next_client_seq AS n FROM sync_ctl WHERE id = 1`.execute(core.db)).rows[0];
  const lastLocal = Number(ctl?.n ?? 1) - 1;
  if (rec.lastSeq > lastLocal) return `the server has processed command ${rec.lastSeq} from this computer, which has only numbered ${lastLocal}`;
  if (rec.auditSeq > 0) {
    const mine = await core.db.selectFrom('audit_log').select('hash').where('seq', '=', rec.auditSeq).executeTakeFirst();
    if (!mine) return `the server holds audit entry ${rec.auditSeq} from this computer, which no longer has it`;
    if (mine.hash !== rec.auditHash) return `audit entry ${rec.auditSeq} differs from the one the server holds`;
  }
  return null;
}

/**
 * The desk's server-issued identity: registered on first contact with a server, checked once per
 * run against the server's record, and replaced by a fresh registration when this desk was
 * restored from a backup (its work since then comes back by pull; what the server lacks is pushed
 * under the new id, and the server dedupes commands it already has by id).
 */
export class DeviceIdentity {
  private checked: string | null = null;
  /** Set when the last check found a restored copy (for the status line and tests). */
  lastRestoreReason: string | null = null;

  constructor(
    private readonly core: LedgerCore,
    private readonly store: DeviceStore,
    /** The computer's name, sent at registration for the Admin's list of desks. */
    private readonly name?: () => string,
  ) {}

  /** The credential to push with, registering or re-registering first if needed. */
  async ensure(api: ServerApi, token: string, otherTokens: () => Promise<string[]> = async () => []): Promise<DeviceCredential> {
    const stored = await this.store.get();
    let cred = stored && stored.serverUrl === api.baseUrl ? stored : null;
    // Shown at registration even under another address: the same server (moved to a new address)
    // recognises the computer, so it needs no Admin's sign-in; another server ignores it.
    let shown: DeviceCredential | null = stored;
    if (cred && this.checked !== cred.clientId) {
      try {
        const rec = await api.request<ClientRecord>('GET', `/v1/clients/${encodeURIComponent(cred.clientId)}`, { token, headers: headers(cred) });
        const why = await behindServer(this.core, rec);
        if (why) {
          this.lastRestoreReason = why;
          console.warn(`[ledgerdesk-sync] this computer was restored from a backup (${why}); registering again with the server`);
          cred = null;
        }
      } catch (e) {
        if (!isDeviceRefusal(e)) throw e;
        // Not valid here (a new server, or revoked by an Admin): register again, showing the old
        // credential so the server decides (a revoked desk registers only through an Admin's sign-in).
        shown = cred;
        cred = null;
      }
    }
    if (!cred) {
      const r = await api.request<RegisterClientResponse>('POST', '/v1/clients/register', { token, json: { label: this.name?.(), office: (await getState(this.core.db, DESK_OFFICE)) || undefined, tokens: await otherTokens() }, headers: shown ? headers(shown) : {} });
      cred = { serverUrl: api.baseUrl, clientId: r.clientId, secret: r.deviceSecret };
      await this.store.set(cred);
      // A new client id starts a new audit chain on the server: send the whole chain again.
      await this.core.executor.serial(async () => {
        await setState(this.core.db, 'clientId', r.clientId);
        await setState(this.core.db, 'auditPushedSeq', '0');
        // Sent once: afterwards the server's record (which an Admin may change) is the office.
        await setState(this.core.db, DESK_OFFICE, '');
      });
    }
    this.checked = cred.clientId;
    return cred;
  }

  /**
   * After the server refused the credential: check (and if need be register) again next time. The
   * credential is kept: the server alone decides whether this computer may register again.
   */
  async forget(): Promise<void> {
    this.checked = null;
  }

  /** What a sign-in on this desk shows the server (the token is then bound to this desk). */
  async signInHeaders(serverUrl: string): Promise<Record<string, string>> {
    const cred = await this.store.get();
    return cred && cred.serverUrl === serverUrl ? headers(cred) : {};
  }

  async clientId(): Promise<string | null> {
    return (await this.store.get())?.clientId ?? (await getState(this.core.db, 'clientId'));
  }
}

export const headers = (cred: DeviceCredential): Record<string, string> => ({ [DEVICE_HEADER]: cred.secret });

import { hostname } from 'node:os';
import type { LedgerCore } from '../../core/ledger-core';
import { PENDING_HEADER } from '../../core/sync/device-protocol';
import { forgetUserCredential, roleRanks } from '../../core/auth/signed-in-users';
import type { RawSqlite } from '../../core/sync/client-apply';
import { ServerApi, ServerError, type FetchLike } from './server-api';
import type { TokenStore } from './token-store';
import { DeviceIdentity, headers as deviceHeaders, isDeviceRefusal, ledgerDeviceStore } from './device-identity';

export interface CallOptions {
  json?: unknown;
  body?: Uint8Array;
  headers?: Record<string, string>;
  raw?: boolean;
}

/**
 * What every part of the sync client shares: the server's address, this install's client id and
 * device proof, the users' tokens, and one way to call the server that forgets a token the server
 * no longer honours.
 */
export class ServerLink {
  api: ServerApi | null = null;
  clientId = '';
  /** The headers proving this install's server-issued device secret (issue 13). */
  device: Record<string, string> = {};
  readonly identity: DeviceIdentity;

  constructor(
    readonly core: LedgerCore,
    readonly tokens: TokenStore,
    private readonly fetchImpl: FetchLike | undefined,
    private readonly timeoutMs: number,
    /** How many commands wait to be sent: reported with every request for the Admin's list of desks. */
    private readonly pending: () => number = () => 0,
  ) {
    this.identity = new DeviceIdentity(core, tokens.device ?? ledgerDeviceStore(core), hostname);
  }

  get fetch(): FetchLike {
    return this.fetchImpl ?? fetch;
  }

  setUrl(url: string | null): void {
    this.api = url ? new ServerApi(url, this.fetch, this.timeoutMs) : null;
  }

  /** Proves this install to the server (registering it once), before pushing anything. */
  async ensureDevice(token: string): Promise<void> {
    // Other users signed in here before the desk registered: the server binds their sign-ins to it too.
    const others = async () => {
      const now = this.core.clock.now().getTime();
      return Object.values(await this.tokens.all()).filter((t) => t.token !== token && Date.parse(t.expiresAt) > now).map((t) => t.token);
    };
    const cred = await this.identity.ensure(this.api!, token, others);
    this.clientId = cred.clientId;
    this.device = deviceHeaders(cred);
  }

  /** The desktop core's better-sqlite3 connection, when opened by openDesktopCore (fast page application). */
  raw(): RawSqlite | undefined {
    return (this.core as { ledger?: { raw?: RawSqlite } }).ledger?.raw;
  }

  /** A user's unexpired token, or null. */
  async tokenOf(userId: string): Promise<{ token: string; username: string } | null> {
    const t = await this.tokens.get(userId);
    return t && Date.parse(t.expiresAt) > this.core.clock.now().getTime() ? { token: t.token, username: t.username } : null;
  }

  /** Any unexpired token (pull, audit, notices are not per user). */
  async anyToken(): Promise<string | null> {
    const now = this.core.clock.now().getTime();
    const all = Object.entries(await this.tokens.all()).filter(([, t]) => Date.parse(t.expiresAt) > now);
    // The widest role first, so the desk's pull scope stays put (a change of scope means a new snapshot).
    const roles = await roleRanks(this.core.db);
    all.sort(([ua, a], [ub, b]) => (roles.get(ub) ?? 0) - (roles.get(ua) ?? 0) || b.expiresAt.localeCompare(a.expiresAt));
    return all[0]?.[1].token ?? null;
  }

  async call<T>(token: string, method: string, path: string, opts: CallOptions = {}): Promise<T> {
    try {
      // Every data request proves this desk (the server binds sign-ins to it) and reports its backlog.
      return await this.api!.request<T>(method, path, { ...opts, token, headers: { ...this.device, [PENDING_HEADER]: String(this.pending()), ...opts.headers } });
    } catch (e) {
      if (isDeviceRefusal(e)) await this.identity.forget(); // checked (and if need be registered) again next cycle
      // An expired or revoked token is forgotten, so the next cycle uses another or asks for a sign-in.
      if (e instanceof ServerError && e.status === 401) {
        for (const [userId, t] of Object.entries(await this.tokens.all())) {
          if (t.token !== token) continue;
          await this.tokens.delete(userId);
          // Deactivated, or revoked by the server (a password reset or role change ends every token):
          // the offline verifier goes too, so the old password no longer opens this desk.
          if (e.details?.reason === 'inactive' || e.details?.reason === 'revoked') await forgetUserCredential(this.core, userId);
        }
      }
      throw e;
    }
  }
}

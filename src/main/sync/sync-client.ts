import { EventEmitter } from 'node:events';
import type { Actor } from '../../core/commands/types';
import type { LedgerCore } from '../../core/ledger-core';
import { storeSignedInUser } from '../../core/auth/signed-in-users';
import { installUndoCapture, removeUndoCapture } from '../../core/sync/capture';
import { getState, setState } from '../../core/sync/client-apply';
import type { SignInResponse } from '../../core/sync/protocol';
import type { SyncTable } from '../../core/sync/tables';
import { newId } from '../../shared/ids';
import { AppFailure } from '../../shared/result';
import type { NeedsAttentionDTO } from '../../shared/contract/sync';
import { ServerError, TransportError, type FetchLike } from './server-api';
import type { TokenStore } from './token-store';
import type { DeviceIdentity } from './device-identity';
import { listNeedsAttention, resolveNeedsAttention, type ResolveInput } from './needs-attention';
import { ServerLink } from './server-link';
import { initialStatus, statusView, SYNC_TEXT, type SyncStatus } from './sync-status';
import { pushPending } from './pusher';
import { Puller } from './puller';
import { downloadFile, type LocalFiles } from './file-transfer';
import { shipAudit } from './audit-shipper';
import { listenForNotices } from './live-notice';

export type { SyncStatus } from './sync-status';
export type { LocalFiles } from './file-transfer';
/** The Needs Attention items: the shape the contract gives the renderer. */
export type NeedsAttentionItem = NeedsAttentionDTO;

export interface SyncClientOptions {
  core: LedgerCore;
  tokens: TokenStore;
  files?: LocalFiles;
  fetch?: FetchLike;
  /** Fallback polling when the push notice is not connected (ms). */
  pollMs?: number;
  /** How often the local outbox is looked at to push new work (ms). */
  localCheckMs?: number;
  pushBatch?: number;
  pullLimit?: number;
  backoff?: { baseMs: number; maxMs: number };
  requestTimeoutMs?: number;
  /** Listen to the server's push notice (server-sent events). */
  live?: boolean;
}

/**
 * The desktop's sync client (docs/sync.md): it schedules the cycle and keeps the status; the work
 * is in pusher.ts, puller.ts, file-transfer.ts, audit-shipper.ts and live-notice.ts. API for the router:
 *   start() / stop()          begin/end background sync (push notice + polling + backoff)
 *   configure(url | null)     set or clear the server address (kept in the ledger)
 *   signIn(username, pw)      sign in against the server (token kept in the TokenStore, the user's
 *                             verifier stored locally); answers { online: false } when unreachable
 *   syncNow()                 one full cycle now: files, push, pull, audit
 *   status() / on('status')   the header's sync status
 *   needsAttention() / resolve(commandId, action, actor)
 *   notifyLocalChange()       call after a local command, to push at once
 *   fetchFile(sha256)         lazy, verified download of a file into the local store
 *   on('changed', tables[])   after a pull changed the ledger (screens refresh)
 */
export class SyncClient extends EventEmitter {
  private readonly core: LedgerCore;
  private readonly link: ServerLink;
  private readonly puller: Puller;
  private tables = new Map<string, SyncTable>();
  private st: SyncStatus = initialStatus();
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private localTimer: NodeJS.Timeout | null = null;
  private live: AbortController | null = null;
  private stopped = true;

  constructor(private readonly opts: SyncClientOptions) {
    super();
    this.core = opts.core;
    this.link = new ServerLink(opts.core, opts.tokens, opts.fetch, opts.requestTimeoutMs ?? 30_000, () => this.st.pending);
    this.puller = new Puller(this.link, () => this.tables, (tables) => this.emit('changed', tables));
  }

  /** Server-issued client id + device secret (issue 13). */
  private get identity(): DeviceIdentity {
    return this.link.identity;
  }

  /** Installs the undo capture (from the live table list), loads state and starts background sync. */
  async start(): Promise<void> {
    await this.init();
    this.stopped = false;
    this.pollTimer = setInterval(() => void this.syncNow().catch(() => undefined), this.opts.pollMs ?? 30_000);
    this.localTimer = setInterval(() => void this.localCheck(), this.opts.localCheckMs ?? 2_000);
    if (this.opts.live !== false) this.listen();
    void this.syncNow().catch(() => undefined);
  }

  /** Prepares without background work (tests and tools drive syncNow themselves). */
  async init(): Promise<void> {
    await this.core.executor.serial(async () => {
      // Undo rows no command claimed come from work outside commands (first-run setup): not ours to take back.
      await this.core.db.deleteFrom('sync_undo').where('command_id', 'is', null).execute();
      this.link.clientId = (await getState(this.core.db, 'clientId')) ?? '';
      if (!this.link.clientId) {
        this.link.clientId = newId();
        await setState(this.core.db, 'clientId', this.link.clientId);
      }
    });
    const url = await getState(this.core.db, 'serverUrl');
    this.setUrl(url);
    if (url) await this.capture(true);
    this.st.lastSyncedAt = await getState(this.core.db, 'lastSyncedAt');
    await this.refreshCounts();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.retryTimer, this.pollTimer, this.localTimer]) if (t) clearTimeout(t);
    this.retryTimer = this.pollTimer = this.localTimer = null;
    this.live?.abort();
    this.live = null;
    await this.running?.catch(() => undefined);
  }

  get id(): string {
    return this.link.clientId;
  }

  status(): SyncStatus {
    return statusView(this.st);
  }

  async configure(serverUrl: string | null): Promise<SyncStatus> {
    if (serverUrl !== null) {
      const u = new URL(serverUrl);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppFailure('VALIDATION', SYNC_TEXT.urlScheme, { field: 'serverUrl' });
    }
    await this.core.executor.serial(async () => {
      if (serverUrl) await setState(this.core.db, 'serverUrl', serverUrl);
      else await this.core.db.deleteFrom('sync_state').where('key', '=', 'serverUrl').execute();
    });
    const was = this.st.configured;
    this.setUrl(serverUrl);
    if (!!serverUrl !== was || (serverUrl && this.tables.size === 0)) await this.capture(!!serverUrl);
    this.live?.abort();
    if (!this.stopped && this.opts.live !== false) this.listen();
    this.emitStatus();
    return this.status();
  }

  /**
   * The undo capture runs only while a server is configured (a desk on its own has nothing to take
   * back). It is regenerated from the live table list at every start, so later tables are covered.
   */
  private async capture(on: boolean): Promise<void> {
    if (on) {
      const tables = await this.core.executor.serial(() => installUndoCapture(this.core.db));
      this.tables = new Map(tables.map((t) => [t.name, t]));
    } else {
      await this.core.executor.serial(() => removeUndoCapture(this.core.db));
    }
  }

  private setUrl(url: string | null) {
    this.st.serverUrl = url;
    this.st.configured = !!url;
    this.link.setUrl(url);
  }

  /**
   * Signs in against the server: the token is kept in the TokenStore and the user's record (with
   * the password verifier) stored here, so the same user can sign in offline later. A wrong
   * password is an answer (AppFailure); an unreachable server answers { online: false } and the
   * caller signs in locally against the stored verifier.
   */
  async signIn(username: string, password: string): Promise<{ online: true; userId: string; role: string } | { online: false; reason: string }> {
    const api = this.link.api;
    if (!api) return { online: false, reason: SYNC_TEXT.noServer };
    let r: SignInResponse;
    try {
      r = await api.request<SignInResponse>('POST', '/v1/auth/sign-in', { json: { username, password, clientId: this.link.clientId || undefined }, headers: await this.link.identity.signInHeaders(api.baseUrl) });
    } catch (e) {
      if (e instanceof TransportError) {
        this.setOnline(false, e.message);
        return { online: false, reason: e.message };
      }
      if (e instanceof ServerError) throw new AppFailure(e.code as never, e.message, e.details);
      throw e;
    }
    await this.opts.tokens.set(r.user.id, { token: r.token, expiresAt: r.expiresAt, username: r.user.username });
    await storeSignedInUser(this.core, r.user);
    this.st.waitingForSignIn = this.st.waitingForSignIn.filter((u) => u !== r.user.username);
    this.setOnline(true, null);
    void this.syncNow().catch(() => undefined);
    return { online: true, userId: r.user.id, role: r.user.role };
  }

  /** Signs a user out of the server (revokes the token) and forgets it here. */
  async signOut(userId: string): Promise<void> {
    const t = await this.opts.tokens.get(userId);
    if (t && this.link.api) await this.link.api.request('POST', '/v1/auth/sign-out', { token: t.token, json: {} }).catch(() => undefined);
    await this.opts.tokens.delete(userId);
  }

  notifyLocalChange(): void {
    void this.refreshCounts().then(() => {
      if (this.st.online) void this.syncNow().catch(() => undefined);
    });
  }

  /** Runs one sync cycle; a call during a cycle makes it run once more afterwards. Transport failures are retried with backoff. */
  syncNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.cycle();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async cycle(): Promise<void> {
    if (!this.link.api) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.st.syncing = true;
    this.emitStatus();
    try {
      const token = await this.link.anyToken();
      if (!token) {
        this.st.lastError = SYNC_TEXT.signInToSync;
        return;
      }
      await this.link.ensureDevice(token);
      if ((await getState(this.core.db, 'cursor')) === null) await this.puller.snapshot(token);
      this.st.waitingForSignIn = await pushPending(this.link, this.opts.files, this.opts.pushBatch);
      await this.puller.pullAll(this.opts.pullLimit);
      await shipAudit(this.link);
      const now = this.core.clock.now().toISOString();
      await this.core.executor.serial(() => setState(this.core.db, 'lastSyncedAt', now));
      this.st.lastSyncedAt = now;
      this.failures = 0;
      this.setOnline(true, null);
    } catch (e) {
      if (e instanceof TransportError) {
        this.setOnline(false, e.message);
        this.scheduleRetry();
      } else {
        this.st.lastError = (e as Error).message;
        if (!(e instanceof ServerError)) console.error('[ledgerdesk-sync]', e);
        this.scheduleRetry();
      }
    } finally {
      this.st.syncing = false;
      await this.refreshCounts();
    }
  }

  private scheduleRetry() {
    if (this.stopped) return;
    this.failures++;
    const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(this.failures - 1, 16)) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => void this.syncNow().catch(() => undefined), delay);
  }

  private setOnline(online: boolean, error: string | null) {
    this.st.online = online;
    this.st.lastError = error;
    this.emitStatus();
  }

  private emitStatus() {
    this.emit('status', this.status());
  }

  private async refreshCounts(): Promise<void> {
    const rows = await this.core.db
      .selectFrom('sync_outbox')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    const changed = this.st.pending !== n('pending') || this.st.needsAttention !== n('rejected');
    this.st.pending = n('pending');
    this.st.needsAttention = n('rejected');
    if (changed || !this.st.syncing) this.emitStatus();
  }

  private async localCheck() {
    if (this.stopped || this.running) return;
    await this.refreshCounts().catch(() => undefined);
    if (this.st.pending > 0 && this.st.online && !this.retryTimer) void this.syncNow().catch(() => undefined);
  }

  /** A file named by a synced record, downloaded on first use and verified against its SHA-256. */
  fetchFile(sha: string): Promise<Buffer> {
    return downloadFile(this.link, this.opts.files, sha);
  }

  /** The refused commands this actor may see (their own; all for Supervisors/Admins), in a clerk's words. */
  needsAttention(actor: Actor): Promise<NeedsAttentionItem[]> {
    return listNeedsAttention(this.core, actor);
  }

  /** One way out of a Needs Attention item (needs-attention.ts), then a push of what it did. */
  async resolve(actor: Actor, input: ResolveInput): Promise<{ ok: true; newCommandId?: string }> {
    const r = await resolveNeedsAttention(this.core, actor, input);
    await this.refreshCounts();
    this.notifyLocalChange();
    return r;
  }

  /** The server's push notice: pull at once when another office changes something. */
  private listen(): void {
    const ctl = new AbortController();
    this.live = ctl;
    void listenForNotices(this.link, ctl.signal, () => this.stopped, () => void this.syncNow().catch(() => undefined));
  }
}

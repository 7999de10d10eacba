import { recordAuditAck } from '../../core/audit/audit-log';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Actor } from '../../core/commands/types';
import type { LedgerCore } from '../../core/ledger-core';
import { installUndoCapture, removeUndoCapture } from '../../core/sync/capture';
import { getState, outboxTime, rebaseOnto, setState, type RawSqlite } from '../../core/sync/client-apply';
import {
  CHUNK_BYTES,
  fileRefs,
  MAX_PUSH_COMMANDS,
  type PullResponse,
  type PushResponse,
  type SignInResponse,
  type SnapshotResponse,
} from '../../core/sync/protocol';
import type { SyncTable } from '../../core/sync/tables';
import { sha256 } from '../../core/util/canonical-json';
import { newId } from '../../shared/ids';
import { AppFailure } from '../../shared/result';
import { ServerApi, ServerError, TransportError, type FetchLike } from './server-api';
import type { TokenStore } from './token-store';
import { PENDING_HEADER } from '../../core/sync/device-protocol';
import { DeviceIdentity, headers as deviceHeaders, isDeviceRefusal, ledgerDeviceStore } from './device-identity';
import { forgetUserCredential, storeSignedInUser } from './user-credentials';
import type { NeedsAttentionDTO, SyncStatusDTO } from '../../shared/contract/sync';
import { listNeedsAttention, resolveNeedsAttention, type ResolveInput } from './needs-attention';

const AUDIT_WIRE_COLUMNS = ['seq', 'id', 'at', 'user_id', 'action', 'entity', 'entity_id', 'before_json', 'after_json', 'prev_hash', 'hash'] as const;

/** The header's status and the Needs Attention items: the shapes the contract gives the renderer. */
export type SyncStatus = SyncStatusDTO;
export type NeedsAttentionItem = NeedsAttentionDTO;

/** Files kept by SHA-256 on this desktop (src/main/imports/file-store.ts fits). */
export interface LocalFiles {
  has(sha256: string): boolean;
  get(sha256: string): Buffer;
  put(bytes: Uint8Array): string;
}

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
 * The desktop's sync client (docs/sync.md). API for the router:
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
  private tables = new Map<string, SyncTable>();
  private st: SyncStatus = {
    configured: false,
    serverUrl: null,
    online: false,
    syncing: false,
    pending: 0,
    needsAttention: 0,
    lastSyncedAt: null,
    lastError: null,
    waitingForSignIn: [],
    blocked: null,
  };
  private clientId = '';
  /** Server-issued client id + device secret (issue 13); `device` holds the headers proving it. */
  private readonly identity: DeviceIdentity;
  private device: Record<string, string> = {};
  private api: ServerApi | null = null;
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
    this.identity = new DeviceIdentity(opts.core, opts.tokens.device ?? ledgerDeviceStore(opts.core), hostname);
  }

  /** Installs the undo capture (from the live table list), loads state and starts background sync. */
  async start(): Promise<void> {
    await this.init();
    this.stopped = false;
    this.pollTimer = setInterval(() => void this.syncNow().catch(() => undefined), this.opts.pollMs ?? 30_000);
    this.localTimer = setInterval(() => void this.localCheck(), this.opts.localCheckMs ?? 2_000);
    if (this.opts.live !== false) void this.listen();
    void this.syncNow().catch(() => undefined);
  }

  /** Prepares without background work (tests and tools drive syncNow themselves). */
  async init(): Promise<void> {
    await this.core.executor.serial(async () => {
      // Undo rows no command claimed come from work outside commands (first-run setup): not ours to take back.
      await this.core.db.deleteFrom('sync_undo').where('command_id', 'is', null).execute();
      this.clientId = (await getState(this.core.db, 'clientId')) ?? '';
      if (!this.clientId) {
        this.clientId = newId();
        await setState(this.core.db, 'clientId', this.clientId);
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
    return this.clientId;
  }

  status(): SyncStatus {
    return { ...this.st, waitingForSignIn: [...this.st.waitingForSignIn], blocked: this.blockedReason() };
  }

  /** What holds sync back, in the header's words. */
  private blockedReason(): SyncStatus['blocked'] {
    const st = this.st;
    if (!st.configured) return null;
    if (st.waitingForSignIn.length > 0)
      return { kind: 'sign-in', message: `Waiting for ${st.waitingForSignIn.join(', ')} to sign in to the server: ${st.waitingForSignIn.length === 1 ? 'their' : 'these users\''} changes are kept here until then.` };
    if (!st.online) return st.lastError ? { kind: 'offline', message: 'The server cannot be reached; work is kept here and sent when it can.' } : null;
    if (st.lastError) return { kind: 'error', message: 'The server refused the last sync; an administrator can see the reason.' };
    return null;
  }

  async configure(serverUrl: string | null): Promise<SyncStatus> {
    if (serverUrl !== null) {
      const u = new URL(serverUrl);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppFailure('VALIDATION', 'The server address must start with https://', { field: 'serverUrl' });
    }
    await this.core.executor.serial(async () => {
      if (serverUrl) await setState(this.core.db, 'serverUrl', serverUrl);
      else await this.core.db.deleteFrom('sync_state').where('key', '=', 'serverUrl').execute();
    });
    const was = this.st.configured;
    this.setUrl(serverUrl);
    if (!!serverUrl !== was || (serverUrl && this.tables.size === 0)) await this.capture(!!serverUrl);
    this.live?.abort();
    if (!this.stopped && this.opts.live !== false) void this.listen();
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

  /** The desktop core's better-sqlite3 connection, when opened by openDesktopCore (fast page application). */
  private raw(): RawSqlite | undefined {
    return (this.core as { ledger?: { raw?: RawSqlite } }).ledger?.raw;
  }

  private setUrl(url: string | null) {
    this.st.serverUrl = url;
    this.st.configured = !!url;
    this.api = url ? new ServerApi(url, this.opts.fetch ?? fetch, this.opts.requestTimeoutMs ?? 30_000) : null;
  }

  /**
   * Signs in against the server: the token is kept in the TokenStore and the user's record (with
   * the password verifier) stored here, so the same user can sign in offline later. A wrong
   * password is an answer (AppFailure); an unreachable server answers { online: false } and the
   * caller signs in locally against the stored verifier.
   */
  async signIn(username: string, password: string): Promise<{ online: true; userId: string; role: string } | { online: false; reason: string }> {
    if (!this.api) return { online: false, reason: 'No server is configured.' };
    let r: SignInResponse;
    try {
      r = await this.api.request<SignInResponse>('POST', '/v1/auth/sign-in', { json: { username, password, clientId: this.clientId || undefined }, headers: await this.identity.signInHeaders(this.api.baseUrl) });
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
    if (t && this.api) await this.api.request('POST', '/v1/auth/sign-out', { token: t.token, json: {} }).catch(() => undefined);
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
    if (!this.api) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.st.syncing = true;
    this.emitStatus();
    try {
      const token = await this.anyToken();
      if (!token) {
        this.st.lastError = 'Sign in to the server to sync.';
        return;
      }
      const cred = await this.identity.ensure(this.api, token);
      this.clientId = cred.clientId;
      this.device = deviceHeaders(cred);
      if ((await getState(this.core.db, 'cursor')) === null) await this.snapshot(token);
      await this.pushAll();
      await this.pullAll();
      await this.pushAudit();
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

  /** Any unexpired token (pull, audit, notices are not per user). */
  private async anyToken(): Promise<string | null> {
    const now = this.core.clock.now().getTime();
    const all = Object.entries(await this.opts.tokens.all()).filter(([, t]) => Date.parse(t.expiresAt) > now);
    // The widest role first, so the desk's pull scope stays put (a change of scope means a new snapshot).
    const roles = new Map((await this.core.db.selectFrom('users').select(['id', 'role']).execute()).map((u) => [u.id, ROLE_RANK[u.role] ?? 0]));
    all.sort(([ua, a], [ub, b]) => (roles.get(ub) ?? 0) - (roles.get(ua) ?? 0) || b.expiresAt.localeCompare(a.expiresAt));
    return all[0]?.[1].token ?? null;
  }

  private async call<T>(token: string, method: string, path: string, opts: { json?: unknown; body?: Uint8Array; headers?: Record<string, string>; raw?: boolean } = {}): Promise<T> {
    try {
      // Every data request proves this desk (the server binds sign-ins to it) and reports its backlog.
      return await this.api!.request<T>(method, path, { ...opts, token, headers: { ...this.device, [PENDING_HEADER]: String(this.st.pending), ...opts.headers } });
    } catch (e) {
      if (isDeviceRefusal(e)) await this.identity.forget(); // checked (and if need be registered) again next cycle
      // An expired or revoked token is forgotten, so the next cycle uses another or asks for a sign-in.
      if (e instanceof ServerError && e.status === 401) {
        for (const [userId, t] of Object.entries(await this.opts.tokens.all())) {
          if (t.token !== token) continue;
          await this.opts.tokens.delete(userId);
          // Deactivated, or revoked by the server (a password reset or role change ends every token):
          // the offline verifier goes too, so the old password no longer opens this desk.
          if (e.details?.reason === 'inactive' || e.details?.reason === 'revoked') await forgetUserCredential(this.core, userId);
        }
      }
      throw e;
    }
  }

  /** A new install starts from the server's snapshot, then pulls after its cursor. */
  private async snapshot(token: string): Promise<void> {
    const snap = await this.call<SnapshotResponse>(token, 'GET', '/v1/sync/snapshot');
    const r = await rebaseOnto(this.core, this.tables, { snapshot: snap.tables, cursor: snap.cursor }, this.raw());
    if (snap.scope) await this.core.executor.serial(() => setState(this.core.db, 'scope', snap.scope!));
    this.emit('changed', [...r.tables, 'sync']);
  }

  /**
   * Pushes pending commands in the order they were entered. Each request speaks for one user (with
   * that user's token); a user who must sign in again holds back only their own commands, and the
   * others' still go. The server dedupes by id, so order across held-back users is safe to break.
   */
  private async pushAll(): Promise<void> {
    const batch = this.opts.pushBatch ?? MAX_PUSH_COMMANDS;
    const waiting = new Set<string>();
    const blocked = new Set<string>();
    const tokens = new Map<string, { token: string; username: string } | null>();
    const tokenOf = async (actorId: string) => {
      if (!tokens.has(actorId)) {
        const t = await this.opts.tokens.get(actorId);
        tokens.set(actorId, t && Date.parse(t.expiresAt) > this.core.clock.now().getTime() ? { token: t.token, username: t.username } : null);
      }
      return tokens.get(actorId)!;
    };
    for (;;) {
      let q = this.core.db.selectFrom('sync_outbox').selectAll().where('state', '=', 'pending');
      if (blocked.size > 0) q = q.where('actor_id', 'not in', [...blocked]);
      const rows = await q.orderBy('client_seq').limit(batch).execute();
      if (rows.length === 0) break;
      const actorId = rows[0]!.actor_id ?? '';
      const tok = await tokenOf(actorId);
      if (!tok) {
        blocked.add(actorId);
        waiting.add(await this.userLabel(actorId));
        continue;
      }
      const end = rows.findIndex((r) => r.actor_id !== actorId);
      const group = end === -1 ? rows : rows.slice(0, end);
      const commands = group.map((r) => ({
        id: r.command_id,
        clientSeq: Number(r.client_seq),
        name: r.name,
        version: r.version,
        input: JSON.parse(r.input_json) as unknown,
        at: outboxTime(r),
      }));
      const missingHere = new Set<string>();
      for (const c of commands) for (const sha of fileRefs(c.input)) if (!(await this.ensureFile(tok.token, sha))) missingHere.add(sha);
      let res: PushResponse;
      try {
        res = await this.call<PushResponse>(tok.token, 'POST', '/v1/sync/push', { json: { clientId: this.clientId, commands }, headers: this.device });
      } catch (e) {
        if (isDeviceRefusal(e)) await this.identity.forget();
        if (e instanceof ServerError && (e.status === 401 || e.code === 'SESSION_EXPIRED')) {
          await this.opts.tokens.delete(actorId);
          tokens.set(actorId, null);
          blocked.add(actorId);
          waiting.add(await this.userLabel(actorId));
          continue;
        }
        throw e;
      }
      if (!(await this.recordAnswers(res, missingHere))) break;
    }
    this.st.waitingForSignIn = [...waiting];
  }

  private async userLabel(userId: string): Promise<string> {
    const u = await this.core.db.selectFrom('users').select(['display_name', 'username']).where('id', '=', userId).executeTakeFirst();
    return u?.display_name || u?.username || 'a user who is no longer on this desk';
  }

  /** Stores the server's answers; false when none made progress (only retries). */
  private async recordAnswers(res: PushResponse, missingHere: Set<string>): Promise<boolean> {
    const answeredAt = this.core.clock.now().toISOString();
    let progressed = false;
    const accepted = new Map<number, string[]>();
    await this.core.executor.serial(() =>
      this.core.db.transaction().execute(async (trx) => {
        for (const o of res.outcomes) {
          if (o.status === 'retry') {
            const missing = (o.error?.details?.missing as string[] | undefined) ?? [];
            if (missing.some((m) => missingHere.has(m))) {
              await trx
                .updateTable('sync_outbox')
                .set({ state: 'rejected', error_json: JSON.stringify({ code: 'NOT_FOUND', message: 'The file this command needs is no longer on this computer, so it could not be sent.', details: { missing } }), answered_at: answeredAt })
                .where('command_id', '=', o.id)
                .execute();
              progressed = true;
            }
            continue;
          }
          progressed = true;
          if (o.status === 'accepted') {
            const seq = o.serverSeq ?? 0;
            accepted.set(seq, [...(accepted.get(seq) ?? []), o.id]);
            continue;
          }
          await trx
            .updateTable('sync_outbox')
            .set({ state: 'rejected', server_seq: o.serverSeq ?? null, error_json: JSON.stringify(o.kept ? { ...o.error, kept: o.kept } : (o.error ?? null)), answered_at: answeredAt })
            .where('command_id', '=', o.id)
            .execute();
        }
        // A batch's accepted commands share one server sequence: one statement per 500, not one per command.
        for (const [seq, ids] of accepted)
          for (let i = 0; i < ids.length; i += 500)
            await trx.updateTable('sync_outbox').set({ state: 'accepted', server_seq: seq, answered_at: answeredAt }).where('command_id', 'in', ids.slice(i, i + 500)).execute();
      }),
    );
    return progressed;
  }

  private async pullAll(): Promise<void> {
    const limit = this.opts.pullLimit ?? 5000;
    for (;;) {
      const token = await this.anyToken();
      if (!token) return;
      const cursor = Number((await getState(this.core.db, 'cursor')) ?? 0);
      let page: PullResponse;
      try {
        page = await this.call<PullResponse>(token, 'GET', `/v1/sync/pull?after=${cursor}&limit=${limit}`);
      } catch (e) {
        // Beyond the compacted change log's horizon: a fresh copy (pending work is replayed on it).
        if (e instanceof ServerError && e.details?.reason === 'compacted') {
          await this.snapshot(token);
          continue;
        }
        throw e;
      }
      // Cut for another role than this desk's rows (src/core/sync/tables.ts ROLE_SCOPES): start again from a snapshot.
      if (page.scope && page.scope !== (await getState(this.core.db, 'scope'))) {
        await this.snapshot(token);
        continue;
      }
      if (page.changes.length > 0 || (await this.needsRebase(cursor))) {
        const r = await rebaseOnto(this.core, this.tables, { changes: page.changes, cursor: page.cursor }, this.raw());
        this.emit('changed', [...r.tables, 'sync']);
      }
      if (!page.more) break;
    }
  }

  /** Work a rebase would do with no new changes: undo a rejected command, drop confirmed ones. */
  private async needsRebase(cursor: number): Promise<boolean> {
    const r = await sql<{ n: number }>`SELECT
      (SELECT COUNT(*) FROM sync_outbox WHERE state = 'accepted' AND server_seq <= ${cursor}) +
      (SELECT COUNT(*) FROM sync_undo u JOIN sync_outbox o ON o.command_id = u.command_id WHERE o.state = 'rejected') AS n`.execute(this.core.db);
    return Number(r.rows[0]?.n ?? 0) > 0;
  }

  /** The desk's audit chain goes to the server, which verifies every link on arrival. */
  private async pushAudit(): Promise<void> {
    for (;;) {
      const token = await this.anyToken();
      if (!token) return;
      const head = Number((await getState(this.core.db, 'auditPushedSeq')) ?? 0);
      // The entries as the server checks them (plain links); the MAC stays here, it is this desk's seal.
      const entries = await this.core.db.selectFrom('audit_log').select(AUDIT_WIRE_COLUMNS).where('seq', '>', head).orderBy('seq').limit(2000).execute();
      if (entries.length === 0) return;
      let r: { acceptedThrough: number; head?: { seq: number; hash: string } };
      try {
        r = await this.call<{ acceptedThrough: number; head?: { seq: number; hash: string } }>(token, 'POST', '/v1/audit/push', { json: { clientId: this.clientId, entries }, headers: this.device });
      } catch (e) {
        if (isDeviceRefusal(e)) await this.identity.forget();
        throw e;
      }
      await this.core.executor.serial(async () => {
        await setState(this.core.db, 'auditPushedSeq', String(r.acceptedThrough));
        // The server's acknowledgement, sealed: a tail removed after this is caught by verification.
        if (r.head && r.head.seq > 0) await recordAuditAck(this.core.db, r.head.seq, r.head.hash);
      });
      if (entries.length < 2000) return;
    }
  }

  /** Uploads a file the server lacks, in resumable checksummed chunks. False when this desk does not have it. */
  private async ensureFile(token: string, sha: string): Promise<boolean> {
    const st = await this.call<{ complete: boolean; exists: boolean; received: number[] }>(token, 'GET', `/v1/files/${sha}/status`);
    if (st.complete) return true;
    const files = this.opts.files;
    if (!files || !files.has(sha)) return false;
    const bytes = files.get(sha);
    const meta = await this.core.db.selectFrom('stored_files').select('file_name').where('sha256', '=', sha).executeTakeFirst();
    const up = await this.call<{ received: number[] }>(token, 'POST', `/v1/files/${sha}`, { json: { sizeBytes: bytes.length, fileName: meta?.file_name ?? `${sha}.bin` } });
    const have = new Set(up.received);
    const count = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
    for (let i = 0; i < count; i++) {
      if (have.has(i)) continue;
      const chunk = bytes.subarray(i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES));
      await this.call(token, 'PUT', `/v1/files/${sha}/chunks/${i}`, { body: chunk, headers: { 'x-chunk-sha256': sha256(chunk) } });
    }
    await this.call(token, 'POST', `/v1/files/${sha}/complete`, { json: {} });
    return true;
  }

  /** A file named by a synced record, downloaded on first use and verified against its SHA-256. */
  async fetchFile(sha: string): Promise<Buffer> {
    const files = this.opts.files;
    if (!files) throw new AppFailure('UNAVAILABLE', 'This desktop has no file store.');
    if (files.has(sha)) return files.get(sha);
    const token = await this.anyToken();
    if (!this.api || !token) throw new AppFailure('UNAVAILABLE', 'Sign in to the server to download this file.');
    const bytes = await this.call<Buffer>(token, 'GET', `/v1/files/${sha}`, { raw: true });
    if (sha256(bytes) !== sha) throw new AppFailure('CONFLICT', 'The downloaded file does not match its SHA-256; it was not kept.');
    files.put(bytes);
    return bytes;
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

  /** The server's push notice (server-sent events): pull at once when another office changes something. */
  private async listen(): Promise<void> {
    const ctl = new AbortController();
    this.live = ctl;
    let delay = 1000;
    while (!this.stopped && !ctl.signal.aborted) {
      try {
        const token = await this.anyToken();
        if (token && this.api) {
          const res = await (this.opts.fetch ?? fetch)(new URL('/v1/sync/events', this.api.baseUrl), { headers: { authorization: `Bearer ${token}`, ...this.device }, signal: ctl.signal });
          if (res.ok && res.body) {
            delay = 1000;
            const reader = res.body.getReader();
            let buf = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buf += Buffer.from(value).toString('utf8');
              let i: number;
              while ((i = buf.indexOf('\n\n')) >= 0) {
                const ev = buf.slice(0, i);
                buf = buf.slice(i + 2);
                if (/^event: (changes|hello)/m.test(ev)) void this.syncNow().catch(() => undefined);
              }
            }
          }
        }
      } catch {
        // reconnect below
      }
      if (this.stopped || ctl.signal.aborted) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

const ROLE_RANK: Record<string, number> = { csr: 1, supervisor: 2, admin: 3 };

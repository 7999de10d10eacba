import { join as joinPath } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { needsSetup } from '../../core/auth/sign-in';
import { requireRole } from '../../core/commands/require-role';
import type { Actor } from '../../core/commands/types';
import type { LedgerCore } from '../../core/ledger-core';
import { getState, setState, upsertRows } from '../../core/sync/client-apply';
import { DESK_OFFICE } from './device-identity';
import { UNREGISTERED } from '../../core/sync/device-protocol';
import { CHUNK_BYTES, type SignInResponse } from '../../core/sync/protocol';
import { discoverSyncTables, ident, type SyncTable } from '../../core/sync/tables';
import { sha256 } from '../../core/util/canonical-json';
import type { DeskDTO, JoinCheckDTO, JoinReportDTO } from '../../shared/contract/join';
import { ADMINS } from '../../shared/roles';
import { AppFailure } from '../../shared/result';
import { serverAddressProblem } from '../../shared/server-address';
import { backupLedger } from '../cli/backup';
import { ServerApi, ServerError, TransportError, type FetchLike } from './server-api';
import type { LocalFiles, SyncClient } from './sync-client';
import type { TokenStore } from './token-store';

/** The server's answer to a seed (src/server/seed.ts). */
interface SeedAnswer {
  cursor: number;
  totals: { table: string; rows: number; cents: number }[];
  mapped: { userId: string; username: string }[];
  serverRows: Record<string, Record<string, unknown>[]>;
}

interface LedgerDump {
  tables: Record<string, Record<string, unknown>[]>;
  totals: Map<string, { rows: number; cents: number }>;
  /** The outbox's last sequence when the dump was taken. */
  seq: number;
}

/** A seed's id: the hash of what it sends, so a repeated join of an unchanged ledger is the same seed. */
const seedIdOf = (dump: LedgerDump): string => {
  const names = Object.keys(dump.tables).sort();
  return sha256(JSON.stringify(names.map((n) => [n, dump.tables[n]])));
};

export interface JoinDeps {
  core: LedgerCore;
  sync: SyncClient;
  files?: LocalFiles;
  /** The ledger's own connection, for the backup made before anything is sent. */
  raw?: BetterSqlite3.Database;
  backupDir: string;
  /** Server tokens per user (the Admin's, for the list of desks). */
  tokens?: TokenStore;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Rows per seed piece at most (tests use small pieces); pieces also stop near 4 MB of JSON. */
  seedPieceRows?: number;
}

const SEED_PIECE_BYTES = 4 * 1024 * 1024;

/** One table's rows cut into pieces of at most `maxRows` rows and about SEED_PIECE_BYTES of JSON. */
export function seedPieces(rows: Record<string, unknown>[], maxRows: number): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = [];
  let cur: Record<string, unknown>[] = [];
  let bytes = 0;
  for (const r of rows) {
    const n = JSON.stringify(r).length;
    if (cur.length > 0 && (cur.length >= maxRows || bytes + n > SEED_PIECE_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += n;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** A request repeated while the connection drops (every seed request is safe to repeat). */
async function again<T>(fn: () => Promise<T>, tries = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof TransportError) || i >= tries) throw e;
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** i)));
    }
  }
}

/**
 * A desk that worked on its own has never synced (no cursor) and holds users it created itself
 * (only a desk's own users have a stored password form; pulled users carry a blank).
 */
export async function holdsOwnLedger(core: LedgerCore): Promise<boolean> {
  if ((await getState(core.db, 'serverUrl')) || (await getState(core.db, 'cursor')) !== null) return false;
  return !!(await core.db.selectFrom('users').select('id').where('password_hash', '!=', '').limit(1).executeTakeFirst());
}

/** A server failure in an office's words; nothing was changed when any of these is thrown. */
function plain(e: unknown, url: string): never {
  if (e instanceof AppFailure) throw e;
  if (e instanceof TransportError) {
    throw new AppFailure('UNAVAILABLE', `The server at ${url} cannot be reached (${e.message.replace(/^The server is not reachable \(|\)\.$/g, '')}). Check the address and this computer's connection; nothing was changed.`, { field: 'serverUrl' });
  }
  if (e instanceof ServerError) {
    if (e.code === 'NOT_FOUND') throw new AppFailure('VALIDATION', `${url} does not answer as a Ledgerdesk server (or runs an older version). Check the address.`, { field: 'serverUrl' });
    throw new AppFailure(e.code as never, e.message, { ...(e.details ?? {}), field: e.status === 401 ? 'password' : (e.details?.field as string | undefined) });
  }
  throw e;
}

/**
 * Joining an office's server (issue 13, items 1–3):
 *  - first run: sign in with the server account; no local administrator is made, the desk takes the
 *    server's users and ledger (snapshot) and keeps an offline verifier for the person who joined;
 *  - a desk that worked standalone: an EMPTY server is seeded from this desk's whole ledger (after a
 *    backup), verified table by table; a server holding other work is refused and nothing changes.
 */
export class JoinService {
  constructor(private readonly d: JoinDeps) {}

  private api(url: string): ServerApi {
    const problem = serverAddressProblem(url);
    if (problem) throw new AppFailure('VALIDATION', problem, { field: 'serverUrl' });
    return new ServerApi(url, this.d.fetch ?? fetch, this.d.timeoutMs ?? 60_000);
  }

  /** The office this computer works in, sent when it registers with the server (device-identity.ts). */
  private async setOffice(office: string | undefined): Promise<void> {
    const { core } = this.d;
    await core.executor.serial(() => setState(core.db, DESK_OFFICE, office?.trim() ?? ''));
  }

  /** The address answers, and as a Ledgerdesk server. */
  private async probe(api: ServerApi): Promise<void> {
    try {
      const h = await api.request<{ ok?: boolean }>('GET', '/health');
      if (h?.ok !== true) throw new ServerError(404, 'NOT_FOUND', 'not a Ledgerdesk server');
    } catch (e) {
      if (e instanceof TransportError && /incomplete/.test(e.message)) plain(new ServerError(404, 'NOT_FOUND', 'not a Ledgerdesk server'), api.baseUrl);
      plain(e, api.baseUrl);
    }
  }

  /** First run: join with a server account (no local administrator is created). */
  async joinFresh(url: string, username: string, password: string, office?: string): Promise<{ userId: string; role: string }> {
    const api = this.api(url);
    if (!(await needsSetup(this.d.core.db))) throw new AppFailure('CONFLICT', 'This computer is already set up; sign in instead.');
    await this.probe(api);
    const { sync } = this.d;
    await sync.configure(api.baseUrl);
    await this.setOffice(office);
    try {
      const r = await sync.signIn(username, password);
      if (!r.online) plain(new TransportError(r.reason), api.baseUrl);
      // The server's users and ledger, now (the snapshot), so the desk opens on the office's data.
      await sync.syncNow();
      if (sync.status().lastError === UNREGISTERED) {
        // Only an Admin or Supervisor brings a new computer into the office: this desk stays fresh.
        await sync.signOut(r.userId);
        await this.d.core.executor.serial(() => this.d.core.db.deleteFrom('users').where('id', '=', r.userId).execute());
        throw new AppFailure('FORBIDDEN', UNREGISTERED, { reason: 'unregistered', field: 'username' });
      }
      return { userId: r.userId, role: r.role };
    } catch (e) {
      // Nothing of a failed join stays: the desk is still fresh and offers both choices again.
      await sync.configure(null).catch(() => undefined);
      return plain(e, api.baseUrl);
    }
  }

  /** A desk that worked standalone joins a server (Admin): seeds an empty server, refuses any other. */
  // long: one guided sequence (sign in, check, back up, upload, seed, verify, switch over) read top to bottom
  async joinWithData(actor: Actor | null, url: string, username: string, password: string, onUsersMapped?: () => Promise<void>, office?: string): Promise<JoinReportDTO> {
    const { core, sync } = this.d;
    await requireRole(core.db, core.clock, actor, ADMINS, 'sync.joinServer');
    if (!(await holdsOwnLedger(core))) throw new AppFailure('CONFLICT', 'This computer is already connected to a server (or holds no ledger of its own): set the address in Server settings instead.');
    const api = this.api(url);
    await this.probe(api);
    let signed: SignInResponse;
    try {
      signed = await api.request<SignInResponse>('POST', '/v1/auth/sign-in', { json: { username, password } });
    } catch (e) {
      return plain(e, api.baseUrl);
    }
    const token = signed.token;
    const signOut = () => api.request('POST', '/v1/auth/sign-out', { token, json: {} }).catch(() => undefined);
    if (signed.user.role !== 'admin') {
      await signOut();
      throw new AppFailure('FORBIDDEN', `${signed.user.displayName} is not an administrator on the server. Joining a desk that holds its own ledger needs the server administrator's sign-in; nothing was changed.`, { field: 'username' });
    }
    const status = await api.request<{ empty: boolean; holds: Record<string, number> }>('GET', '/v1/seed/status', { token }).catch((e) => plain(e, api.baseUrl));
    const tables = await discoverSyncTables(core.db, 'sqlite');
    const dump = await this.dumpLedger(tables);
    // A server seeded by this very ledger (an earlier try whose answer was lost) is no other office's.
    if (!status.empty && !(await this.seededBy(api, token, dump))) {
      await signOut();
      const what = Object.entries(status.holds).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`).join(', ');
      throw new AppFailure(
        'CONFLICT',
        `The server at ${api.baseUrl} already holds another office's ledger (${what}). Joining would mix two ledgers, so nothing was changed here or on the server. ` +
          'Safe ways forward: keep working on this computer on its own; make a backup of this ledger (Settings → Backup) and give it to your administrator; or set up a new, empty server for this office and join that. Merging into another ledger as a new division is not offered.',
        { reason: 'not-empty', holds: status.holds },
      );
    }

    // A backup first: whatever happens next, this desk's ledger as it was is kept.
    if (!this.d.raw) throw new AppFailure('UNAVAILABLE', 'This desk cannot make a backup, so it does not join.');
    const stamp = core.clock.now().toISOString().replace(/[:.]/g, '-');
    const backup = await core.executor.serial(() => backupLedger(this.d.raw!, joinPath(this.d.backupDir, `ledger-before-join-${stamp}.sqlite`)));

    // Files first (the server verifies each), then the rows that name them.
    // Every file a record names (stored_files, uploads, …: any sha256 column), with its name where known.
    const named = new Map<string, string>();
    for (const rows of Object.values(dump.tables)) {
      for (const r of rows) {
        const sha = r.sha256;
        if (typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) && !named.get(sha)) named.set(sha, typeof r.file_name === 'string' ? r.file_name : '');
      }
    }
    const missing = [...named.keys()].filter((sha) => !this.d.files?.has(sha));
    const unstored = missing.filter((sha) => (dump.tables.stored_files ?? []).some((r) => r.sha256 === sha));
    if (unstored.length > 0) throw new AppFailure('NOT_FOUND', `${unstored.length} file(s) this ledger keeps are not on this computer (e.g. ${named.get(unstored[0]!) || unstored[0]!.slice(0, 12)}), so the server cannot be seeded. Nothing was changed.`);
    const shas = [...named.keys()].filter((sha) => !missing.includes(sha));
    for (const sha of shas) await this.upload(api, token, sha, named.get(sha) || `${sha}.bin`).catch((e) => plain(e, api.baseUrl));
    const seeded = await this.seedInPieces(api, token, dump).catch((e) => plain(e, api.baseUrl));
    await signOut(); // the seeding sign-in has done its work; the desk signs in for itself below

    const checks: JoinCheckDTO[] = seeded.totals.map((s) => {
      const mine = dump.totals.get(s.table) ?? { rows: 0, cents: 0 };
      // The server may hold a row or two of its own (its administrator, defaults): never fewer.
      const ok = s.table === 'users' || s.table === 'stored_files' ? s.rows >= mine.rows : s.rows === mine.rows && s.cents === mine.cents;
      return { table: s.table, deskRows: mine.rows, serverRows: s.rows, deskCents: mine.cents, serverCents: s.cents, ok };
    });

    // From here the desk is a synced desk at the seed's cursor: its commands up to the dump are in
    // the server's state (not to be pushed again); users mapped onto server users use the server password.
    await core.executor.serial(() =>
      core.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('sync_outbox').where('client_seq', '<=', dump.seq).execute();
        await setState(trx, 'cursor', String(seeded.cursor));
        await setState(trx, 'scope', 'admin');
        await setState(trx, DESK_OFFICE, office?.trim() ?? '');
        const ids = seeded.mapped.map((m) => m.userId);
        if (ids.length > 0) await trx.updateTable('users').set({ password_hash: '' }).where('id', 'in', ids).execute();
        // The server's own rows from before the seed (its administrator, uploaded files) are not after the cursor.
        for (const [name, rows] of Object.entries(seeded.serverRows)) {
          const t = tables.find((x) => x.name === name);
          if (t) await upsertRows(trx, t, rows);
        }
      }),
    );
    // The joining admin is now the server's account: their session goes on (others' end, as on any password change).
    await onUsersMapped?.();
    await sync.configure(api.baseUrl);
    const again = await sync.signIn(username, password);
    if (!again.online) throw new AppFailure('UNAVAILABLE', `The server was seeded, but it stopped answering: this desk sends the rest when it can. ${again.reason}`);
    await sync.syncNow();
    await sync.syncNow();
    const auditHere = Number((await sql<{ n: number | null }>`SELECT MAX(seq) AS n FROM audit_log`.execute(core.db)).rows[0]?.n ?? 0);
    const auditThere = Number((await getState(core.db, 'auditPushedSeq')) ?? 0);
    return {
      serverUrl: api.baseUrl,
      backupPath: backup.path,
      tables: checks,
      audit: { desk: auditHere, server: auditThere },
      files: shas.length,
      mapped: seeded.mapped.map((m) => m.username),
      verified: checks.every((c) => c.ok) && auditThere >= auditHere,
    };
  }

  /** The whole ledger as it is now (one writer: no command half-way), and where the outbox stands. */
  private async dumpLedger(tables: SyncTable[]): Promise<LedgerDump> {
    const { core } = this.d;
    return core.executor.serial(async () => {
      const out: Record<string, Record<string, unknown>[]> = {};
      const totals = new Map<string, { rows: number; cents: number }>();
      for (const t of tables) {
        const rows = (await sql<Record<string, unknown>>`SELECT ${sql.raw(t.synced.map(ident).join(', '))} FROM ${sql.raw(ident(t.name))}`.execute(core.db)).rows;
        out[t.name] = rows;
        const cents = t.synced.filter((c) => c.endsWith('_cents'));
        totals.set(t.name, { rows: rows.length, cents: rows.reduce((s, r) => s + cents.reduce((a, c) => a + Number(r[c] ?? 0), 0), 0) });
      }
      const seq = Number((await sql<{ n: number | null }>`SELECT MAX(client_seq) AS n FROM sync_outbox`.execute(core.db)).rows[0]?.n ?? 0);
      return { tables: out, totals, seq };
    });
  }

  /** The server committed a seed of exactly this ledger (its content hash). */
  private async seededBy(api: ServerApi, token: string, dump: LedgerDump): Promise<boolean> {
    const have = await again(() => api.request<{ committed: boolean }>('GET', `/v1/seed/pieces?seedId=${seedIdOf(dump)}`, { token })).catch((e) => plain(e, api.baseUrl));
    return have.committed;
  }

  /**
   * The ledger to the server in pieces, then one commit that checks every table's rows and cents
   * and applies them in one transaction. The seed id is the hash of what is sent, so a join tried
   * again after a dropped connection resumes: pieces the server holds are not sent twice.
   */
  private async seedInPieces(api: ServerApi, token: string, dump: LedgerDump): Promise<SeedAnswer> {
    const names = Object.keys(dump.tables).sort();
    const seedId = seedIdOf(dump);
    const have = await again(() => api.request<{ pieces: { table: string; index: number }[]; committed: boolean }>('GET', `/v1/seed/pieces?seedId=${seedId}`, { token }));
    const held = new Set(have.pieces.map((p) => `${p.table}/${p.index}`));
    const expected: Record<string, { pieces: number; rows: number; cents: number }> = {};
    for (const table of names) {
      const pieces = seedPieces(dump.tables[table]!, this.d.seedPieceRows ?? 5000);
      const t = dump.totals.get(table) ?? { rows: 0, cents: 0 };
      expected[table] = { pieces: pieces.length, rows: t.rows, cents: t.cents };
      if (have.committed) continue;
      for (const [index, rows] of pieces.entries()) {
        if (held.has(`${table}/${index}`)) continue;
        await again(() => api.request('POST', '/v1/seed/pieces', { token, json: { seedId, table, index, rows } }));
      }
    }
    return again(() => api.request<SeedAnswer>('POST', '/v1/seed/commit', { token, json: { seedId, expected } }));
  }

  /** The server and this Admin's own server token (the list of desks is the server's, for Admins). */
  private async adminApi(actor: Actor | null, what: string): Promise<{ api: ServerApi; token: string }> {
    const { core, sync } = this.d;
    const a = await requireRole(core.db, core.clock, actor, ADMINS, what);
    const url = sync.status().serverUrl;
    if (!url) throw new AppFailure('CONFLICT', 'This computer is not connected to a server.');
    const t = await this.d.tokens?.get(a.userId);
    if (!t || Date.parse(t.expiresAt) <= core.clock.now().getTime()) {
      throw new AppFailure('UNAUTHENTICATED', 'Sign in to the server again (Needs Attention → Sign in to the server) to manage the desks.');
    }
    return { api: new ServerApi(url, this.d.fetch ?? fetch, this.d.timeoutMs ?? 60_000), token: t.token };
  }

  /** The desks the server knows (Admin). */
  async desks(actor: Actor | null): Promise<DeskDTO[]> {
    const { api, token } = await this.adminApi(actor, 'sync.desks.list');
    const rows = await api.request<Omit<DeskDTO, 'current'>[]>('GET', '/v1/clients', { token }).catch((e) => plain(e, api.baseUrl));
    return rows.map((r) => ({ ...r, current: r.clientId === this.d.sync.id }));
  }

  /** Names a desk (Admin): its computer name and office, as the Desks page shows them. */
  async renameDesk(actor: Actor | null, desk: { clientId: string; label: string; office: string | null }): Promise<{ ok: true }> {
    const { api, token } = await this.adminApi(actor, 'sync.desks.rename');
    const office = desk.office && desk.office.trim() ? desk.office.trim() : null;
    await api.request('POST', `/v1/clients/${encodeURIComponent(desk.clientId)}/name`, { token, json: { label: desk.label.trim(), office } }).catch((e) => plain(e, api.baseUrl));
    return { ok: true };
  }

  /** Revokes a desk (Admin): the server refuses its pushes until an Admin signs in there again. */
  async revokeDesk(actor: Actor | null, clientId: string): Promise<{ revoked: boolean }> {
    const { api, token } = await this.adminApi(actor, 'sync.desks.revoke');
    if (clientId === this.d.sync.id) throw new AppFailure('VALIDATION', 'This is the computer you are using; revoke it from another desk.', { field: 'clientId' });
    return api.request<{ revoked: boolean }>('POST', `/v1/clients/${encodeURIComponent(clientId)}/revoke`, { token, json: {} }).catch((e) => plain(e, api.baseUrl));
  }

  /** One file, in checksummed chunks (the server verifies the whole before it may be named). */
  private async upload(api: ServerApi, token: string, sha: string, fileName: string): Promise<void> {
    const st = await api.request<{ complete: boolean }>('GET', `/v1/files/${sha}/status`, { token });
    if (st.complete) return;
    const files = this.d.files;
    if (!files?.has(sha)) throw new AppFailure('NOT_FOUND', `The file ${fileName} (${sha.slice(0, 12)}…) that this ledger names is not on this computer, so the server cannot be seeded. Nothing was changed.`);
    const bytes = files.get(sha);
    const up = await api.request<{ received: number[] }>('POST', `/v1/files/${sha}`, { token, json: { sizeBytes: bytes.length, fileName } });
    const have = new Set(up.received);
    for (let i = 0; i < Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES)); i++) {
      if (have.has(i)) continue;
      const chunk = bytes.subarray(i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES));
      await api.request('PUT', `/v1/files/${sha}/chunks/${i}`, { token, body: chunk, headers: { 'x-chunk-sha256': sha256(chunk) } });
    }
    await api.request('POST', `/v1/files/${sha}/complete`, { token, json: {} });
  }
}

import { sql } from 'kysely';
import { getState, rebaseOnto, setState } from '../../core/sync/client-apply';
import type { PullResponse, SnapshotResponse } from '../../core/sync/protocol';
import type { SyncTable } from '../../core/sync/tables';
import { ServerError } from './server-api';
import type { ServerLink } from './server-link';

/** Called with the tables a pull changed (screens refresh). */
export type OnChanged = (tables: string[]) => void;

/**
 * Pulling and rebasing: the server's changes are applied under this desk's unconfirmed work,
 * which is then replayed on top (src/core/sync/client-apply.ts).
 */
export class Puller {
  constructor(
    private readonly link: ServerLink,
    private readonly tables: () => Map<string, SyncTable>,
    private readonly onChanged: OnChanged,
  ) {}

  /** A new install starts from the server's snapshot, then pulls after its cursor. */
  async snapshot(token: string): Promise<void> {
    const { core } = this.link;
    const snap = await this.link.call<SnapshotResponse>(token, 'GET', '/v1/sync/snapshot');
    const r = await rebaseOnto(core, this.tables(), { snapshot: snap.tables, cursor: snap.cursor }, this.link.raw());
    if (snap.scope) await core.executor.serial(() => setState(core.db, 'scope', snap.scope!));
    this.onChanged([...r.tables, 'sync']);
  }

  /** Pulls page after page until the server has no more. */
  async pullAll(limit = 5000): Promise<void> {
    const { core } = this.link;
    for (;;) {
      const token = await this.link.anyToken();
      if (!token) return;
      const cursor = Number((await getState(core.db, 'cursor')) ?? 0);
      let page: PullResponse;
      try {
        page = await this.link.call<PullResponse>(token, 'GET', `/v1/sync/pull?after=${cursor}&limit=${limit}`);
      } catch (e) {
        // Beyond the compacted change log's horizon: a fresh copy (pending work is replayed on it).
        if (e instanceof ServerError && e.details?.reason === 'compacted') {
          await this.snapshot(token);
          continue;
        }
        throw e;
      }
      // Cut for another role than this desk's rows (src/core/sync/tables.ts ROLE_SCOPES): start again from a snapshot.
      if (page.scope && page.scope !== (await getState(core.db, 'scope'))) {
        await this.snapshot(token);
        continue;
      }
      if (page.changes.length > 0 || (await this.needsRebase(cursor))) {
        const r = await rebaseOnto(core, this.tables(), { changes: page.changes, cursor: page.cursor }, this.link.raw());
        this.onChanged([...r.tables, 'sync']);
      }
      if (!page.more) break;
    }
  }

  /** Work a rebase would do with no new changes: undo a rejected command, drop confirmed ones. */
  private async needsRebase(cursor: number): Promise<boolean> {
    const r = await sql<{ n: number }>`SELECT
      (SELECT COUNT(*) FROM sync_outbox WHERE state = 'accepted' AND server_seq <= ${cursor}) +
      (SELECT COUNT(*) FROM sync_undo u JOIN sync_outbox o ON o.command_id = u.command_id WHERE o.state = 'rejected') AS n`.execute(this.link.core.db);
    return Number(r.rows[0]?.n ?? 0) > 0;
  }
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_PULL_LIMIT, type SnapshotResponse } from '../core/sync/protocol';
import { ROLE_SCOPES, scopeRow } from '../core/sync/tables';
import type { Role } from '../shared/roles';
import type { ServerStore } from './db/open';
import { horizonOf, refuseBeforeHorizon } from './ops/compact-changes';

/**
 * The read side of sync (GET /v1/sync/pull and /v1/sync/snapshot), scoped by the caller's role
 * as src/core/sync/tables.ts says (ROLE_SCOPES; secret columns are already blank in the change
 * stream). Every answer names the role it was cut for (`scope`): a desk whose pulls change scope
 * starts again from a snapshot, so it never keeps rows of a scope it no longer has, nor misses
 * rows a wider scope would have had.
 */
export interface ReadRouteDeps {
  store: ServerStore;
  /** The caller's role as the server holds it now (throws when the token is not valid). */
  role(req: FastifyRequest): Promise<Role>;
  parse<S extends z.ZodType>(schema: S, v: unknown): z.output<S>;
}

const pullQuery = z.object({ after: z.coerce.number().int().min(0), limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).optional() }).strict();

export async function pullPage(deps: ReadRouteDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { store } = deps;
  const role = await deps.role(req);
  const q = deps.parse(pullQuery, req.query);
  const limit = q.limit ?? 2000;
  // Beyond the compacted change log's horizon the desk must take a snapshot (ops/compact-changes.ts).
  await refuseBeforeHorizon(store.db, q.after);
  const rows = await store.db.selectFrom('srv_changes').selectAll().where('seq', '>', q.after).orderBy('seq').limit(limit + 1).execute();
  let page = rows.length > limit ? rows.slice(0, limit) : rows;
  // Never end a page inside a transaction: take the rest of the last row's transaction.
  if (rows.length > limit) {
    const tail = page[page.length - 1]!;
    const rest = await store.db.selectFrom('srv_changes').selectAll().where('seq', '>', tail.seq).where('tx', '=', tail.tx).orderBy('seq').execute();
    page = page.concat(rest);
  }
  const more = rows.length > limit && (await store.db.selectFrom('srv_changes').select('seq').where('seq', '>', page[page.length - 1]!.seq).limit(1).executeTakeFirst()) !== undefined;
  const cursor = page.length > 0 ? Number(page[page.length - 1]!.seq) : q.after;
  // Rows are stored as JSON text: stitched in without parsing them again, except scoped tables.
  const parts: string[] = [];
  for (const r of page) {
    let row = r.row_json ?? 'null';
    if (r.row_json && ROLE_SCOPES[r.tbl]) {
      const scoped = scopeRow(r.tbl, role, JSON.parse(r.row_json) as Record<string, unknown>);
      if (!scoped) continue;
      row = JSON.stringify(scoped);
    } else if (!r.row_json && ROLE_SCOPES[r.tbl]?.rows && !ROLE_SCOPES[r.tbl]!.rows!.includes(role)) continue;
    parts.push(`{"seq":${Number(r.seq)},"t":${JSON.stringify(r.tbl)},"k":${r.pk_json},"r":${row}}`);
  }
  const body = `{"cursor":${cursor},"more":${more},"scope":${JSON.stringify(role)},"changes":[${parts.join(',')}]}`;
  return reply.type('application/json').send(body);
}

export async function snapshot(deps: ReadRouteDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { store } = deps;
  const role = await deps.role(req);
  const snap = await store.db
    .transaction()
    .setIsolationLevel(store.dialect === 'postgres' ? 'repeatable read' : 'serializable')
    .execute(async (trx) => {
      // Never behind the compaction horizon (an emptied change log has no max).
      const cursor = Math.max(Number((await trx.selectFrom('srv_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0), await horizonOf(trx));
      const tables: SnapshotResponse['tables'] = {};
      for (const t of store.tables) {
        if (ROLE_SCOPES[t.name]?.rows && !ROLE_SCOPES[t.name]!.rows!.includes(role)) {
          tables[t.name] = [];
          continue;
        }
        let rows = (await trx
          .selectFrom(t.name as 'payments')
          .select(t.synced as never[])
          .execute()) as Record<string, unknown>[];
        const secret = Object.entries(t.secret);
        if (secret.length > 0) rows = rows.map((r) => ({ ...r, ...Object.fromEntries(secret) }));
        if (ROLE_SCOPES[t.name]) rows = rows.map((r) => scopeRow(t.name, role, r)!);
        tables[t.name] = rows;
      }
      return { cursor, scope: role, tables };
    });
  return reply.type('application/json').send(JSON.stringify(snap));
}

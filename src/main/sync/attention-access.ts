import type { Kysely } from 'kysely';
import type { Actor } from '../../core/commands/types';
import type { Database } from '../../core/db/schema';
import { SUPERVISORS } from '../../shared/roles';
import { AppFailure } from '../../shared/result';
import type { NeedsAttentionDTO } from '../../shared/contract/sync';

/**
 * Who may see and resolve a Needs Attention item: the user who entered the command, and
 * Supervisors and Admins. Decided here, in main, for every call (the renderer only shows).
 */
export async function visibleItems(db: Kysely<Database>, actor: Actor, items: NeedsAttentionDTO[]): Promise<NeedsAttentionDTO[]> {
  const mayAll = SUPERVISORS.includes(actor.role);
  const authors = mayAll ? null : await authorsOf(db, items.map((i) => i.commandId));
  return items.filter((i) => mayAll || authors!.get(i.commandId) === actor.userId).map((i) => ({ ...i, input: withoutSecrets(i.input) }));
}

export async function assertMayResolve(db: Kysely<Database>, actor: Actor, commandId: string): Promise<void> {
  if (SUPERVISORS.includes(actor.role)) return;
  const authors = await authorsOf(db, [commandId]);
  // The same answer as an unknown item: a CSR learns nothing about others' work.
  if (authors.get(commandId) !== actor.userId) throw new AppFailure('NOT_FOUND', 'That item is no longer in Needs Attention.', { field: 'commandId' });
}

async function authorsOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('sync_outbox').select(['command_id', 'actor_id']).where('command_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.command_id, r.actor_id]));
}

/** Password fields never reach a screen, even in their stored form. */
export function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !/password/i.test(k)).map(([k, x]) => [k, withoutSecrets(x)]));
  return v;
}

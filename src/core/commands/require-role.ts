import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import { AppFailure } from '../../shared/result';
import type { Role } from '../../shared/roles';
import { appendAudit } from '../audit/audit-log';
import type { Database } from '../db/schema';
import type { Actor, Clock } from './types';

/**
 * The role check for work that is not a single command (a file preview reads and parses before any
 * command runs). Refuses and audits like the executor does.
 */
export async function requireRole(db: Kysely<Database>, clock: Clock, actor: Actor | null, roles: readonly Role[], what: string): Promise<Actor> {
  if (!actor) throw new AppFailure('UNAUTHENTICATED', 'Sign in first.');
  if (!roles.includes(actor.role)) {
    const now = clock.now().toISOString();
    await db.transaction().execute((trx) => appendAudit(trx, { userId: actor.userId, action: 'denied', entity: 'command', entityId: what, after: { role: actor.role } }, now, newId()));
    throw new AppFailure('FORBIDDEN', `Your role may not do this (${what}).`, { command: what, role: actor.role });
  }
  return actor;
}

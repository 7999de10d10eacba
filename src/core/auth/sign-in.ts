import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import { AppFailure, fail } from '../../shared/result';
import { appendAudit } from '../audit/audit-log';
import type { Clock } from '../commands/types';
import type { Database } from '../db/schema';
import { checkLocalPassword } from './offline-verifiers';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;

type User = Database['users'];

async function audit(db: Kysely<Database>, clock: Clock, userId: string | null, action: string, after?: unknown) {
  await db.transaction().execute((trx) =>
    appendAudit(trx, { userId, action, entity: 'session', entityId: userId, after }, clock.now().toISOString(), newId()),
  );
}

export async function needsSetup(db: Kysely<Database>): Promise<boolean> {
  const r = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !r;
}

/** First run: the first Admin. Refused once any user exists. */
export async function setupFirstAdmin(
  db: Kysely<Database>,
  clock: Clock,
  i: { username: string; displayName: string; password: string },
): Promise<User> {
  const hash = await hashPassword(i.password);
  const now = clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    if (!(await needsSetup(trx))) fail('CONFLICT', 'Ledgerdesk is already set up; sign in instead.');
    const row: User = {
      id: newId(),
      username: i.username.toLowerCase(),
      display_name: i.displayName,
      role: 'admin',
      password_hash: hash,
      active: 1,
      failed_attempts: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('users').values(row).execute();
    await appendAudit(trx, { userId: row.id, action: 'setup', entity: 'user', entityId: row.id, after: { username: row.username, role: 'admin' } }, now, newId());
    return row;
  });
}

/**
 * Checks a user name and password. Five failures in a row lock the user out for 15 minutes; every
 * success, failure and lock-out is audited. The message never says which of the two was wrong.
 */
export async function signIn(db: Kysely<Database>, clock: Clock, username: string, password: string): Promise<User> {
  const now = clock.now();
  const user = await db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  if (!user) {
    await verifyPassword(password, await dummyHash());
    await audit(db, clock, null, 'signin-failed', { username: username.trim().toLowerCase() });
    throw new AppFailure('UNAUTHENTICATED', 'The user name or password is incorrect.');
  }
  if (user.locked_until && Date.parse(user.locked_until) > now.getTime()) {
    await audit(db, clock, user.id, 'signin-locked');
    throw new AppFailure('LOCKED_OUT', `Too many failed sign-ins. Try again after ${new Date(user.locked_until).toLocaleTimeString()} or ask an administrator.`);
  }
  if (!user.active) {
    await audit(db, clock, user.id, 'signin-inactive');
    throw new AppFailure('UNAUTHENTICATED', 'This user has been deactivated. Ask an administrator.');
  }
  if (!(await checkLocalPassword(db, user, password))) {
    const failed = user.failed_attempts + 1;
    const locked = failed >= MAX_FAILED_SIGN_INS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    await db.updateTable('users').set({ failed_attempts: locked ? 0 : failed, locked_until: locked }).where('id', '=', user.id).execute();
    await audit(db, clock, user.id, locked ? 'locked-out' : 'signin-failed', { failed });
    if (locked) throw new AppFailure('LOCKED_OUT', `Too many failed sign-ins: this user is locked for ${LOCKOUT_MINUTES} minutes.`);
    throw new AppFailure('UNAUTHENTICATED', 'The user name or password is incorrect.');
  }
  await db.updateTable('users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute();
  await audit(db, clock, user.id, 'signin');
  return user;
}

export async function recordSessionEnd(db: Kysely<Database>, clock: Clock, userId: string, reason: 'signout' | 'idle-timeout'): Promise<void> {
  await audit(db, clock, userId, reason);
}

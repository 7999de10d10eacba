import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import { AppFailure, fail } from '../../shared/result';
import { appendAudit } from '../audit/audit-log';
import type { Clock } from '../commands/types';
import type { Database } from '../db/schema';
import { assertStrongPassword } from './password-rules';
import { checkLocalPassword } from './offline-verifiers';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { ACCOUNT_RULE, SOURCE_RULE, type SignInThrottle, type ThrottleRule } from './sign-in-throttle';

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
  assertStrongPassword(i.password, [i.username, i.displayName]);
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

/** Where an attempt comes from, for the progressive delays (see sign-in-throttle.ts). */
export interface SignInGuard {
  throttle: SignInThrottle;
  /** This desk, or the client's address on the server. */
  source: string;
  /** The desk the attempt names (the server's client id), if any. */
  device?: string;
  /** True when that desk has signed this user in before. The account's and the source's delays,
   *  which anyone can cause, do not apply there (the desk has its own), so the real user, the
   *  last Admin included, can always sign in from their own desk. */
  knownDevice?: (userId: string) => Promise<boolean>;
}

const WRONG = 'The user name or password is incorrect.';
/** Says neither which name nor how long: the same for every name, known or not. */
const WAIT = 'Too many sign-in attempts. Wait a moment, then try again.';

/**
 * Checks a user name and password. Failures slow further attempts down (per account and per
 * source) instead of locking anyone out; the answer and the work done (one KDF run) are the same
 * whether the name exists or not. Every success and failure is audited.
 */
export async function signIn(db: Kysely<Database>, clock: Clock, username: string, password: string, guard?: SignInGuard): Promise<User> {
  const now = clock.now().getTime();
  const name = username.trim().toLowerCase();
  const user = await db.selectFrom('users').selectAll().where('username', '=', name).executeTakeFirst();
  const accountKey = `account:${name}`;
  const sourceKey = `source:${guard?.source ?? 'local'}`;
  const own = !!(guard?.device && user && guard.knownDevice && (await guard.knownDevice(user.id)));
  const keys: [string, ThrottleRule][] = own ? [[`device:${guard!.device}:${name}`, ACCOUNT_RULE]] : [[accountKey, ACCOUNT_RULE], [sourceKey, SOURCE_RULE]];
  if (guard && keys.some(([k]) => guard.throttle.waitMs(k, now) > 0)) {
    await audit(db, clock, user?.id ?? null, 'signin-delayed', user ? undefined : { username: name });
    throw new AppFailure('LIMIT', WAIT);
  }
  // Always one KDF run, against a stand-in hash when the name is unknown. A desk that got the user
  // from the server holds no stored hash, only its own offline verifier (offline-verifiers.ts).
  const good = user ? await checkLocalPassword(db, user, password) : (await verifyPassword(password, await dummyHash()), false);
  if (!user || !good) {
    // Every failure counts against the name and the source, wherever it came from.
    const failedKeys: [string, ThrottleRule][] = [[accountKey, ACCOUNT_RULE], [sourceKey, SOURCE_RULE], ...(own ? keys : [])];
    for (const [k, rule] of failedKeys) guard?.throttle.failed(k, rule, now);
    await audit(db, clock, user?.id ?? null, 'signin-failed', user ? undefined : { username: name });
    throw new AppFailure('UNAUTHENTICATED', WRONG);
  }
  // Only someone who knows the password learns the account is deactivated.
  if (!user.active) {
    await audit(db, clock, user.id, 'signin-inactive');
    throw new AppFailure('UNAUTHENTICATED', 'This user has been deactivated. Ask an administrator.');
  }
  for (const [k] of keys) guard?.throttle.succeeded(k);
  if (user.failed_attempts !== 0 || user.locked_until !== null) {
    await db.updateTable('users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute();
  }
  await audit(db, clock, user.id, 'signin');
  return user;
}

export async function recordSessionEnd(db: Kysely<Database>, clock: Clock, userId: string, reason: 'signout' | 'idle-timeout'): Promise<void> {
  await audit(db, clock, userId, reason);
}

import { randomBytes } from 'node:crypto';
import { deriveOfflineVerifier } from '../core/auth/passwords';
import { signIn } from '../core/auth/sign-in';
import { StoredSignInThrottle } from './signin-throttle-store';
import { deviceForSignIn, presentedDevice } from './clients';
import type { Actor } from '../core/commands/types';
import type { SignInResponse } from '../core/sync/protocol';
import { sha256 } from '../core/util/canonical-json';
import { AppFailure } from '../shared/result';
import type { ServerStore } from './db/open';

export interface AuthedUser extends Actor {
  username: string;
  tokenHash: string;
}

/**
 * Server accounts: users and roles live in the server's ledger (the same users table, synced down
 * to desktops with each user's scrypt verifier so a known user can sign in offline). A token is 32
 * random bytes, kept only as its SHA-256, with an expiry; sign-out and an admin revoke it.
 */
export class ServerAuth {
  private readonly attempts = new Map<string, number[]>();
  private readonly throttle: StoredSignInThrottle;

  constructor(
    private readonly store: ServerStore,
    private readonly opts: { tokenTtlMinutes: number; signInPerMinute: number; onError?: (e: unknown) => void },
  ) {
    this.throttle = new StoredSignInThrottle(store.db, opts.onError ?? (() => undefined));
  }

  /** The sign-in delays kept from before a restart. */
  async load(): Promise<void> {
    await this.throttle.load();
  }

  /** Sliding-window limit per client address (and per user name), before any password work. */
  rateLimit(key: string): void {
    const now = Date.now();
    const recent = (this.attempts.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.opts.signInPerMinute) {
      this.attempts.set(key, recent);
      throw new AppFailure('LIMIT', 'Too many sign-in attempts. Wait a minute and try again.', { retryAfterSeconds: Math.ceil((60_000 - (now - recent[0]!)) / 1000) });
    }
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) for (const [k, v] of this.attempts) if (v.every((t) => now - t >= 60_000)) this.attempts.delete(k);
  }

  async signIn(username: string, password: string, clientId: string | undefined, source: string, headers: Record<string, string | string[] | undefined> = {}): Promise<SignInResponse> {
    const core = this.store.core;
    // A desk this user already holds (or held) a token from is theirs: the account's delay, which
    // anyone can cause, does not keep them out there. The desk must prove its credential: a client
    // id alone is no secret, and claiming one must not lift the delay for someone guessing.
    const shown = await presentedDevice(this.store.db, headers);
    const provenDesk = shown && !shown.revoked ? shown.clientId : null;
    const knownDevice = async (userId: string) =>
      provenDesk !== null && !!(await this.store.db.selectFrom('srv_tokens').select('user_id').where('user_id', '=', userId).where('client_id', '=', provenDesk).limit(1).executeTakeFirst());
    // The core's sign-in: progressive delays per account and per source, every attempt audited (one writer).
    const user = await core.executor.serial(() => signIn(core.db, core.clock, username, password, { throttle: this.throttle, source, device: provenDesk ?? undefined, knownDevice }));
    // For this desk alone (never the stored form): see src/core/auth/offline-verifiers.ts. Made
    // before the token, so its slow KDF does not eat into the token's lifetime.
    // A sign-in on a desk binds the token to the desk its credential proves (never to a claimed id);
    // on a revoked desk only an Admin may sign in, to register it again.
    const boundTo = await deviceForSignIn(this.store.db, user.role, headers);
    const offlineVerifier = await deriveOfflineVerifier(password);
    const token = randomBytes(32).toString('base64url');
    const now = core.clock.now();
    const expiresAt = new Date(now.getTime() + this.opts.tokenTtlMinutes * 60_000).toISOString();
    await this.store.db
      .insertInto('srv_tokens')
      .values({ token_hash: sha256(token), user_id: user.id, client_id: boundTo, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null })
      .execute();
    return {
      token,
      expiresAt,
      user: {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role,
        active: user.active === 1,
        credentialId: user.credential_id ?? null,
        offlineVerifier,
      },
    };
  }

  /** Who a request is from: the token's user, with the role the server holds now (never the client's claim). */
  async authenticate(header: string | undefined): Promise<AuthedUser> {
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header ?? '');
    if (!m) throw new AppFailure('UNAUTHENTICATED', 'Sign in first: this request has no server token.');
    const hash = sha256(m[1]!);
    const row = await this.store.db
      .selectFrom('srv_tokens')
      .innerJoin('users', 'users.id', 'srv_tokens.user_id')
      .select(['srv_tokens.expires_at', 'srv_tokens.revoked_at', 'users.id', 'users.role', 'users.active', 'users.username'])
      .where('srv_tokens.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row) throw new AppFailure('UNAUTHENTICATED', 'The server does not know this token. Sign in again.');
    if (row.revoked_at) throw new AppFailure('UNAUTHENTICATED', 'This token was revoked. Sign in again.', { reason: 'revoked' });
    if (Date.parse(row.expires_at) <= this.store.core.clock.now().getTime()) throw new AppFailure('SESSION_EXPIRED', 'Your server sign-in has expired. Sign in again.', { reason: 'expired' });
    if (!row.active) throw new AppFailure('UNAUTHENTICATED', 'This user has been deactivated.', { reason: 'inactive' });
    return { userId: row.id, role: row.role, username: row.username, tokenHash: hash };
  }

  /** What ends a user's sign-ins when it changes: password, role, active. */
  async credentialStamps(userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.store.db.selectFrom('users').select(['id', 'password_hash', 'role', 'active']).where('id', 'in', userIds).execute();
    return new Map(rows.map((r) => [r.id, sha256(`${r.password_hash}|${r.role}|${r.active}`)]));
  }

  async revokeToken(tokenHash: string): Promise<void> {
    await this.store.db.updateTable('srv_tokens').set({ revoked_at: this.store.core.clock.now().toISOString() }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute();
  }

  async revokeUser(userId: string): Promise<number> {
    const r = await this.store.db
      .updateTable('srv_tokens')
      .set({ revoked_at: this.store.core.clock.now().toISOString() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}

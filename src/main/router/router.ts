import { createHash } from 'node:crypto';
import { channels, contract, type Channel, type EventMap, type EventName } from '../../shared/contract';
import type { SessionDTO } from '../../shared/contract/dto';
import { newId } from '../../shared/ids';
import { AppFailure, err, ok, type Result } from '../../shared/result';
import { zodToAppError } from '../../core/commands/zod-error';
import { toResult } from '../../core/commands/executor';
import type { LedgerCore } from '../../core/ledger-core';
import { needsSetup, recordSessionEnd, setupFirstAdmin, signIn } from '../../core/auth/sign-in';
import { SignInThrottle } from '../../core/auth/sign-in-throttle';
import { toUserDTO } from '../../core/auth/users';
import { readSettings } from '../../core/settings/settings';
import { actorOf, type Session } from './session';
import type { Role } from '../../shared/roles';

/** A digest of what ends a session when it changes (the hash itself is not kept in the session). */
const credentialOf = (u: { password_hash: string; role: string; active: number }) => createHash('sha256').update(`${u.password_hash}|${u.role}|${u.active}`).digest('hex');

/** A channel served by main itself rather than by a core command/query (sessions, sync, files). */
export type MainHandler = (session: Session, input: unknown) => Promise<Result<unknown>>;

const channelSet = new Set<string>(channels);
const PUBLIC_CHANNELS = new Set<string>(['auth.status', 'auth.setupFirstAdmin', 'auth.signIn']);

/**
 * The one router both bindings (Electron IPC and the browser host) call. It owns sessions, idle
 * sign-out and argument parsing; every rule about money and roles is in core.
 */
export class Router {
  private readonly sessions = new Map<string, Session>();
  private readonly handlers = new Map<string, MainHandler>();
  private readonly handlerRoles = new Map<string, readonly Role[] | (() => Promise<readonly Role[]>)>();
  private readonly publicChannels = new Set<string>(PUBLIC_CHANNELS);
  /** Failed sign-ins on this desk slow further ones down (per name, and for the desk as a whole). */
  private readonly throttle = new SignInThrottle();
  /** Called after a successful local sign-in (the sync client signs in to the server too). */
  onSignedIn?: (username: string, password: string) => Promise<void>;
  /**
   * Called before the local check: a desk connected to a server signs in there first, which
   * stores this desk's offline verifier for the user (a wrong password or a refusal throws an
   * AppFailure; an unreachable server returns and the local check decides).
   */
  onlineSignIn?: (username: string, password: string) => Promise<void>;

  constructor(readonly core: LedgerCore) {
    this.handlers.set('auth.status', (s) => this.status(s));
    this.handlers.set('auth.setupFirstAdmin', (s, i) => this.setup(s, i));
    this.handlers.set('auth.signIn', (s, i) => this.signIn(s, i));
    this.handlers.set('auth.signOut', (s) => this.signOut(s, 'signout'));
    this.handlers.set('auth.touch', async () => ok(null));
  }

  /** Idle time follows the core's clock, so tests can move it. */
  private now(): number {
    return this.core.clock.now().getTime();
  }

  /** Main-side features (sync, files) add their channels here; the channel must be in the contract. */
  register(channel: Channel, handler: MainHandler, opts: { roles?: readonly Role[] | (() => Promise<readonly Role[]>) } = {}): void {
    this.handlers.set(channel, handler);
    // A role list is checked before the input, so a refused role learns nothing about valid input.
    if (opts.roles) this.handlerRoles.set(channel, opts.roles);
  }

  /** A channel callable before anyone signs in (first-run join); its handler checks what it needs. */
  registerPublic(channel: Channel, handler: MainHandler): void {
    this.publicChannels.add(channel);
    this.handlers.set(channel, handler);
  }

  openSession(emit: Session['emit']): Session {
    const s: Session = { id: newId(), user: null, lastActivity: this.now(), emit };
    this.sessions.set(s.id, s);
    return s;
  }

  closeSession(s: Session): void {
    this.sessions.delete(s.id);
  }

  broadcast<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const s of this.sessions.values()) if (s.user) s.emit(event, payload);
  }

  async invoke(session: Session, channel: string, input: unknown): Promise<Result<unknown>> {
    try {
      if (!channelSet.has(channel)) return err('VALIDATION', `Unknown channel: ${String(channel).slice(0, 80)}.`);
      if (!this.publicChannels.has(channel)) {
        const live = await this.checkSession(session);
        if (!live.ok) return live;
      }
      const handler = this.handlers.get(channel);
      if (handler) {
        const rule = this.handlerRoles.get(channel);
        const roles = typeof rule === 'function' ? await rule() : rule;
        if (roles && !(session.user && roles.includes(session.user.role))) return err('FORBIDDEN', `Your role may not do this (${channel}).`, { channel, role: session.user?.role ?? null });
        const parsed = contract[channel as Channel].input.safeParse(input ?? {});
        if (!parsed.success) return { ok: false, error: zodToAppError(parsed.error) };
        return await handler(session, parsed.data);
      }
      const actor = actorOf(session);
      const ex = this.core.executor;
      if (ex.hasCommand(channel)) return await ex.execute(actor, channel, input);
      if (ex.hasQuery(channel)) return await ex.query(actor, channel, input);
      return err('INTERNAL', `No handler for ${channel}.`);
    } catch (e) {
      return toResult(e);
    }
  }

  /** Signed in, not idle past the limit, and still an active user. */
  private async checkSession(s: Session): Promise<Result<null>> {
    if (!s.user) return err('UNAUTHENTICATED', 'Sign in first.');
    const settings = await readSettings(this.core.db);
    const now = this.now();
    if (now - s.lastActivity > settings.idleMinutes * 60_000) {
      await this.endSession(s, 'idle-timeout');
      return err('SESSION_EXPIRED', `You were signed out after ${settings.idleMinutes} minutes without activity.`);
    }
    const u = await this.core.db.selectFrom('users').select(['active', 'role', 'password_hash']).where('id', '=', s.user.id).executeTakeFirst();
    if (!u || !u.active) {
      await this.endSession(s, 'signout', 'deactivated');
      return err('UNAUTHENTICATED', 'This user has been deactivated.');
    }
    // A password reset or a role change ends the session at once: sign in again.
    if (s.credential !== credentialOf(u)) {
      await this.endSession(s, 'signout', 'signed-out');
      return err('UNAUTHENTICATED', 'Your password or role was changed. Sign in again.', { reason: 'credentials-changed' });
    }
    s.lastActivity = now;
    return ok(null);
  }

  private async endSession(s: Session, reason: 'signout' | 'idle-timeout', told?: 'signed-out' | 'deactivated'): Promise<void> {
    if (!s.user) return;
    const userId = s.user.id;
    s.user = null;
    s.credential = undefined;
    await recordSessionEnd(this.core.db, this.core.clock, userId, reason);
    s.emit('session.ended', { reason: told ?? (reason === 'idle-timeout' ? 'idle' : 'signed-out') });
  }

  private async sessionDTO(s: Session): Promise<SessionDTO> {
    const settings = await readSettings(this.core.db);
    return { user: s.user!, idleMinutes: settings.idleMinutes };
  }

  private async status(s: Session): Promise<Result<unknown>> {
    const setup = await needsSetup(this.core.db);
    if (s.user) {
      const live = await this.checkSession(s);
      if (!live.ok) return ok({ needsSetup: setup, session: null });
    }
    return ok({ needsSetup: setup, session: s.user ? await this.sessionDTO(s) : null });
  }

  private async setup(s: Session, i: unknown): Promise<Result<unknown>> {
    const input = i as { username: string; displayName: string; password: string };
    const user = await this.core.executor.serial(() => setupFirstAdmin(this.core.db, this.core.clock, input));
    s.user = toUserDTO(user);
    s.credential = credentialOf(user);
    s.lastActivity = this.now();
    // The office's time zone starts as this computer's (main may read the machine's zone; core never does).
    await this.core.executor.execute({ userId: user.id, role: 'admin' }, 'settings.update', { officeTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    return ok(await this.sessionDTO(s));
  }

  /** After a change this session's own user made knowingly (joining a server maps them onto the server's
   *  account), the session continues with the user's new credential instead of ending. */
  async refreshCredential(s: Session): Promise<void> {
    if (!s.user) return;
    const u = await this.core.db.selectFrom('users').select(['active', 'role', 'password_hash']).where('id', '=', s.user.id).executeTakeFirst();
    if (u) s.credential = credentialOf(u);
  }

  /** A session for a user the server has just signed in on this desk (first-run join): the local check only. */
  signInJoined(s: Session, username: string, password: string): Promise<Result<unknown>> {
    return this.signIn(s, { username, password }, false);
  }

  private async signIn(s: Session, i: unknown, online = true): Promise<Result<unknown>> {
    const { username, password } = i as { username: string; password: string };
    try {
      if (online) await this.onlineSignIn?.(username, password);
      const user = await this.core.executor.serial(() => signIn(this.core.db, this.core.clock, username, password, { throttle: this.throttle, source: 'desk' }));
      s.user = toUserDTO(user);
      s.credential = credentialOf(user);
      s.lastActivity = this.now();
      await this.onSignedIn?.(user.username, password);
      return ok(await this.sessionDTO(s));
    } catch (e) {
      if (e instanceof AppFailure) return { ok: false, error: e.toError() };
      throw e;
    }
  }

  private async signOut(s: Session, reason: 'signout'): Promise<Result<unknown>> {
    await this.endSession(s, reason);
    return ok(null);
  }
}

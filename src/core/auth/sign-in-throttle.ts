/**
 * Progressive delays for failed sign-ins, instead of a lock-out: after a few free failures each
 * further one makes the next attempt wait longer (2 s, 4 s, 8 s ... up to a cap). Anyone can cause
 * a delay, so the cap stays short: an attacker cannot keep the real user out for long, and a
 * strong password still takes lifetimes to guess. Kept in memory (the server also keeps it in its
 * database, src/server/signin-throttle-store.ts, so a restart forgets nothing), keyed by account
 * name (known or not, so the answer never tells which names exist) and by source (a desk, an address).
 * Time is the caller's clock (core never reads the machine's).
 */
export interface ThrottleRule {
  freeFailures: number;
  baseMs: number;
  maxMs: number;
}

/** Per account: three free tries, then up to half a minute between tries. */
export const ACCOUNT_RULE: ThrottleRule = { freeFailures: 3, baseMs: 2000, maxMs: 30_000 };
/** Per source (one desk, one client address): spraying many names slows down too. */
export const SOURCE_RULE: ThrottleRule = { freeFailures: 10, baseMs: 2000, maxMs: 60_000 };
/** Failures older than this are forgotten. */
const FORGET_MS = 60 * 60_000;
const MAX_KEYS = 20_000;

export interface ThrottleEntry {
  failures: number;
  last: number;
  until: number;
}

type Entry = ThrottleEntry;

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();

  /** Called with every change (null: forgotten), for a subclass that keeps them elsewhere too. */
  protected changed(_key: string, _entry: Entry | null): void {}

  /** An entry kept elsewhere, put back (a restarted server). */
  restore(key: string, entry: Entry): void {
    this.entries.set(key, entry);
  }

  /** Milliseconds the key must still wait before trying again (0: it may try now). */
  waitMs(key: string, now: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    if (now - e.last > FORGET_MS) {
      this.entries.delete(key);
      this.changed(key, null);
      return 0;
    }
    return Math.max(0, e.until - now);
  }

  failed(key: string, rule: ThrottleRule, now: number): void {
    const e = this.entries.get(key);
    const failures = (e && now - e.last <= FORGET_MS ? e.failures : 0) + 1;
    const over = failures - rule.freeFailures;
    const delay = over > 0 ? Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(over - 1, 30)) : 0;
    this.entries.delete(key); // re-insert: the map stays in least-recently-failed order
    this.entries.set(key, { failures, last: now, until: now + delay });
    this.changed(key, { failures, last: now, until: now + delay });
    if (this.entries.size > MAX_KEYS) {
      const oldest = this.entries.keys().next().value!;
      this.entries.delete(oldest);
      this.changed(oldest, null);
    }
  }

  succeeded(key: string): void {
    if (this.entries.delete(key)) this.changed(key, null);
  }
}

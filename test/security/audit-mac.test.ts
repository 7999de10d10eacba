import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { recordAuditAck, verifyAuditChain } from '../../src/core/audit/audit-log';
import { checkAuditAtStart } from '../../src/core/audit/audit-startup';
import { openDesktopCore } from '../../src/core/ledger-core';
import { canonicalJson, sha256 } from '../../src/core/util/canonical-json';
import { makeLedger, type TestLedger } from '../helpers/ledger';
import type { RunInput, RunName, RunOutput } from '../helpers/channels';

/**
 * Issue 12, finding 3: the audit chain could be rewritten undetected (plain SHA-256 with the formula
 * in the source). Each case tampers with a real ledger file the way someone with write access to
 * it, but not the audit key, could, then opens it again and verifies.
 */

type Entry = { seq: number; id: string; at: string; user_id: string | null; action: string; entity: string; entity_id: string | null; before_json: string | null; after_json: string | null; prev_hash: string; hash: string };
const GUARDS = [
  `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  `CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
];
const plainHash = (r: Omit<Entry, 'hash'>) => sha256(canonicalJson([r.seq, r.id, r.at, r.user_id, r.action, r.entity, r.entity_id, r.before_json, r.after_json, r.prev_hash]));

let t: TestLedger | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

/** A ledger with a dozen audit entries, closed so the file can be edited directly. */
async function ledgerWithHistory(): Promise<TestLedger> {
  t = await makeLedger();
  for (const name of ['East', 'West', 'South']) await t.run(t.admin, 'divisions.create', { name });
  await t.run(t.admin, 'accounts.create', { divisionId: t.divisionId, accountNumber: 'A-1', name: 'Payer One', email: 'a1@example.com' });
  return t;
}

/** Edits the closed ledger file with the append-only guard lifted, then put back as it was. */
function tamper(l: TestLedger, edit: (raw: BetterSqlite3.Database) => void): void {
  const raw = new BetterSqlite3(join(l.dir, 'ledger.sqlite'));
  raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  edit(raw);
  for (const g of GUARDS) raw.exec(g);
  raw.close();
}

/** Recomputes every plain link from `from` on, as the old formula allowed anyone to. */
function rehashFrom(raw: BetterSqlite3.Database, from: number): void {
  const rows = raw.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Entry[];
  let prev = from > 1 ? rows.find((r) => r.seq === from - 1)!.hash : '0'.repeat(64);
  const upd = raw.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows.filter((x) => x.seq >= from)) {
    const hash = plainHash({ ...r, prev_hash: prev });
    upd.run(prev, hash, r.seq);
    prev = hash;
  }
}

/** `t.run`/`t.attempt` close over the first core; after a reopen, go through the new one. */
function attempt<K extends RunName>(l: TestLedger, actor: TestLedger['admin'], name: K, input: unknown) {
  const ex = l.core.executor;
  return ex.hasCommand(name) ? ex.execute<RunOutput<K>>(actor, name, input) : ex.query<RunOutput<K>>(actor, name, input);
}
async function run<K extends RunName>(l: TestLedger, actor: TestLedger['admin'], name: K, input: RunInput<K>): Promise<RunOutput<K>> {
  const r = await attempt(l, actor, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
}

async function reopenAndVerify(l: TestLedger) {
  await l.core.close();
  const core = await openDesktopCore(join(l.dir, 'ledger.sqlite'));
  l.core = core;
  return verifyAuditChain(core.db);
}

describe('an anchored audit trail (issue 12, finding 3)', () => {
  it('entries are sealed with the machine key, kept in a user-only file beside the ledger, and verify', async () => {
    const l = await ledgerWithHistory();
    const check = await verifyAuditChain(l.core.db);
    expect(check).toMatchObject({ ok: true, keyed: true });
    expect(check.entries).toBeGreaterThanOrEqual(6);
    const macs = await l.core.db.selectFrom('audit_log').select('mac').execute();
    expect(macs.every((m) => /^[0-9a-f]{64}$/.test(m.mac ?? ''))).toBe(true);
    expect(readFileSync(join(l.dir, 'audit.key'), 'utf8')).toMatch(/^[A-Za-z0-9+/=]{44}\n$/);
    expect((await import('node:fs')).statSync(join(l.dir, 'audit.key')).mode & 0o777).toBe(0o600);
  });

  it('an edited entry whose chain was recomputed (without the key) is caught', async () => {
    const l = await ledgerWithHistory();
    await l.core.close();
    tamper(l, (raw) => {
      raw.prepare(`UPDATE audit_log SET after_json = '{"name":"Forged"}' WHERE seq = 3`).run();
      rehashFrom(raw, 3);
    });
    const check = await reopenAndVerify(l);
    expect(check.ok).toBe(false);
    expect(check.brokenAt).toBe(3);
    expect(check.reason).toMatch(/entry 3 was altered \(its seal does not match/);
  });

  it('removing the last entries is caught by the sealed head', async () => {
    const l = await ledgerWithHistory();
    const n = (await verifyAuditChain(l.core.db)).entries;
    await l.core.close();
    tamper(l, (raw) => raw.prepare('DELETE FROM audit_log WHERE seq > ?').run(n - 2));
    const check = await reopenAndVerify(l);
    expect(check.ok).toBe(false);
    expect(check.reason).toBe(`entries ${n - 1} to ${n} were removed from the end`);
  });

  it('removing the last entries and moving the head back (without the key) is caught', async () => {
    const l = await ledgerWithHistory();
    const n = (await verifyAuditChain(l.core.db)).entries;
    await l.core.close();
    tamper(l, (raw) => {
      raw.prepare('DELETE FROM audit_log WHERE seq > ?').run(n - 2);
      const last = raw.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      raw.prepare('UPDATE audit_head SET seq = ?, hash = ?, mac = NULL').run(last.seq, last.hash);
    });
    const check = await reopenAndVerify(l);
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/sealed head was altered or its seal removed/);
  });

  it('a removed middle entry, renumbered and re-hashed, is caught', async () => {
    const l = await ledgerWithHistory();
    await l.core.close();
    tamper(l, (raw) => {
      raw.prepare('DELETE FROM audit_log WHERE seq = 4').run();
      raw.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 4').run();
      const max = (raw.prepare('SELECT MAX(seq) AS m FROM audit_log').get() as { m: number }).m;
      rehashFrom(raw, 4);
      const last = raw.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(max) as { hash: string };
      raw.prepare('UPDATE audit_head SET seq = ?, hash = ?').run(max, last.hash);
    });
    const check = await reopenAndVerify(l);
    expect(check.ok).toBe(false);
  });

  it('two entries swapped and re-hashed are caught', async () => {
    const l = await ledgerWithHistory();
    await l.core.close();
    tamper(l, (raw) => {
      const a = raw.prepare('SELECT * FROM audit_log WHERE seq = 4').get() as Entry;
      const b = raw.prepare('SELECT * FROM audit_log WHERE seq = 5').get() as Entry;
      raw.prepare('UPDATE audit_log SET id = ?, action = ?, entity = ?, entity_id = ?, after_json = ? WHERE seq = 4').run('swap-tmp', b.action, b.entity, b.entity_id, b.after_json);
      raw.prepare('UPDATE audit_log SET id = ?, action = ?, entity = ?, entity_id = ?, after_json = ? WHERE seq = 5').run(a.id, a.action, a.entity, a.entity_id, a.after_json);
      raw.prepare('UPDATE audit_log SET id = ? WHERE seq = 4').run(b.id);
      rehashFrom(raw, 4);
    });
    const check = await reopenAndVerify(l);
    expect(check.ok).toBe(false);
    expect(check.brokenAt).toBe(4);
  });

  it('a tail removed together with an older copy of the sealed head is caught by the server acknowledgement', async () => {
    const l = await ledgerWithHistory();
    const n = (await verifyAuditChain(l.core.db)).entries;
    const oldHead = await l.core.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await l.run(l.admin, 'divisions.create', { name: 'Later' });
    const last = await l.core.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await recordAuditAck(l.core.db, last.seq, last.hash);
    expect(await verifyAuditChain(l.core.db)).toMatchObject({ ok: true, acknowledgedThrough: last.seq });
    await l.core.close();
    tamper(l, (raw) => {
      raw.prepare('DELETE FROM audit_log WHERE seq > ?').run(n);
      raw.prepare('UPDATE audit_head SET seq = ?, hash = ?, mac = ?').run(oldHead.seq, oldHead.hash, oldHead.mac);
    });
    const check = await reopenAndVerify(l);
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/removed after the server acknowledged them/);
  });

  it('entries sealed under another key (the key file replaced) do not verify', async () => {
    const l = await ledgerWithHistory();
    await l.core.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(l.dir, 'audit.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);
    const check = await reopenAndVerify(l);
    expect(check.ok).toBe(false);
  });

  it('missing append-only triggers fail verification', async () => {
    const l = await ledgerWithHistory();
    await l.core.close();
    const raw = new BetterSqlite3(join(l.dir, 'ledger.sqlite'));
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.close();
    const check = await reopenAndVerify(l);
    expect(check.reason).toMatch(/append-only guard is missing \(audit_no_delete\)/);
  });

  it('a ledger from before the keyed chain keeps its plain entries verifiable and is sealed at start-up', async () => {
    const l = await ledgerWithHistory();
    const n = (await verifyAuditChain(l.core.db)).entries;
    await l.core.close();
    // As migration 0012 leaves an older ledger: no MACs, the head re-anchored after the last entry, unsealed.
    tamper(l, (raw) => {
      raw.prepare('UPDATE audit_log SET mac = NULL').run();
      const last = raw.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      raw.prepare('UPDATE audit_head SET mac_from = ?, seq = ?, hash = ?, mac = NULL').run(last.seq + 1, last.seq, last.hash);
    });
    await reopenAndVerify(l);
    expect(await checkAuditAtStart(l.core.db, '2026-03-15T15:00:00.000Z', 'desk')).toMatchObject({ ok: true, entries: n });
    const head = await l.core.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect(head.mac).toMatch(/^[0-9a-f]{64}$/);
    await run(l, l.admin, 'divisions.create', { name: 'After upgrade' });
    expect(await verifyAuditChain(l.core.db)).toMatchObject({ ok: true, entries: n + 1 });
    // Tail removal after the upgrade is caught like on a new ledger.
    await l.core.close();
    tamper(l, (raw) => raw.prepare('DELETE FROM audit_log WHERE seq = ?').run(n + 1));
    expect((await reopenAndVerify(l)).ok).toBe(false);
  });

  it('a failed check at start-up becomes a security alert for Admins, once, which an Admin acknowledges', async () => {
    const l = await ledgerWithHistory();
    await l.core.close();
    tamper(l, (raw) => raw.prepare('DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)').run());
    await reopenAndVerify(l);
    const at = '2026-03-15T15:00:00.000Z';
    expect((await checkAuditAtStart(l.core.db, at, 'desk')).ok).toBe(false);
    expect((await checkAuditAtStart(l.core.db, at, 'desk')).ok).toBe(false);
    const alerts = await run(l, l.admin, 'security.alerts.list', {});
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'audit-verify-failed', source: 'this desk', acknowledgedAt: null });
    expect(alerts[0].description).toMatch(/did not verify at start-up: entries \d+ to \d+ were removed from the end/);
    expect((await attempt(l, l.csr, 'security.alerts.list', {})).ok).toBe(false);
    expect((await attempt(l, l.supervisor, 'security.alerts.acknowledge', { id: alerts[0].id })).ok).toBe(false);
    const acked = await run(l, l.admin, 'security.alerts.acknowledge', { id: alerts[0].id });
    expect(acked).toMatchObject({ acknowledgedBy: 'Ada Admin' });
    expect(await run(l, l.admin, 'security.alerts.list', {})).toEqual([]);
    expect(await run(l, l.admin, 'security.alerts.list', { includeAcknowledged: true })).toHaveLength(1);
  });
});

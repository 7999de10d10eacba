/**
 * Statements and notifications at scale: a statement run over 10,000 accounts (snapshots, one
 * notification each, PDFs rendered), and delivery to a local SMTP server run as a separate process
 * (test/notifications/smtp-sink.ts). Baselines measured in the same run: raw better-sqlite3 inserts of
 * the same statement and notification rows in one transaction, and nodemailer sending the same
 * messages with no ledger bookkeeping.
 *   npm run bench -- notifications [--accounts 10000] [--messages 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setupFirstAdmin } from '../src/core/auth/sign-in';
import { loadDemoData } from '../src/core/demo/demo-data';
import { openDesktopCore } from '../src/core/ledger-core';
import { createSmtpTransport, runDeliveryBatch } from '../src/core/notifications/delivery';
import type { StatementSnapshot } from '../src/core/notifications/statement-data';
import { renderStatementPdf } from '../src/core/notifications/statement-pdf';
import { newId } from '../src/shared/ids';
import { profileInput } from '../test/notifications/fixtures';
import { startSink } from '../test/notifications/sink';
import { round, timeOnce } from './stats';

export async function main(args: string[]) {
  const { values } = parseArgs({ args, options: { accounts: { type: 'string', default: '10000' }, messages: { type: 'string', default: '1000' } } });
  const n = Number(values.accounts);
  const messages = Number(values.messages);
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-notif-'));
  const today = new Date().toISOString().slice(0, 10);
  const clock = { now: () => new Date(), today: () => today };
  const core = await openDesktopCore(join(dir, 'ledger.sqlite'), { clock, writeOutbox: false });
  try {
    const admin = await setupFirstAdmin(core.db, clock, { username: 'admin', displayName: 'Admin', password: 'correct horse battery' });
    const actor = { userId: admin.id, role: 'admin' as const };
    const built = await timeOnce(() => loadDemoData(core.db, core.ledger.raw, { accounts: n, months: 6, seed: 11, today, actorId: admin.id }));
    console.log(`ledger: ${n.toLocaleString()} accounts, 6 months of invoices, built in ${(built.ms / 1000).toFixed(1)} s`);
    const profile = await core.executor.execute<{ id: string }>(actor, 'statementProfiles.save', profileInput({ minDaysPastDue: -3650 }));
    if (!profile.ok) throw new Error(profile.error.message);

    // 1. The statement run: gather, snapshot, merge templates, queue (one transaction).
    const run = await timeOnce(() => core.executor.execute<{ id: string; statements: number; notifications: number }>(actor, 'statements.run', { profileId: profile.value.id }));
    if (!run.value.ok) throw new Error(run.value.error.message);
    const statements = run.value.value.statements;
    // 2. Their PDFs (what delivery attaches, what Download gives).
    const snaps = (await core.db.selectFrom('statements').select('snapshot_json').where('batch_id', '=', run.value.value.id).execute()).map((r) => JSON.parse(r.snapshot_json) as StatementSnapshot);
    let pdfBytes = 0;
    const pdf = await timeOnce(async () => {
      for (const s of snaps) pdfBytes += (await renderStatementPdf(s)).length;
    });
    // Baseline: raw inserts of the same rows (statements + notifications) in one transaction.
    const raw = core.ledger.raw;
    raw.exec('CREATE TABLE bench_statements AS SELECT * FROM statements WHERE 0; CREATE TABLE bench_notifications AS SELECT * FROM notifications WHERE 0;');
    const srows = raw.prepare('SELECT * FROM statements').all() as Record<string, unknown>[];
    const nrows = raw.prepare('SELECT * FROM notifications').all() as Record<string, unknown>[];
    const insS = raw.prepare(`INSERT INTO bench_statements VALUES (${Object.keys(srows[0]!).map(() => '?').join(',')})`);
    const insN = raw.prepare(`INSERT INTO bench_notifications VALUES (${Object.keys(nrows[0]!).map(() => '?').join(',')})`);
    const base = await timeOnce(() =>
      raw.transaction(() => {
        for (const r of srows) insS.run(...Object.values(r).map((v, i) => (i === 0 ? newId() : v)));
        for (const r of nrows) insN.run(...Object.values(r).map((v, i) => (i === 0 ? newId() : v)));
      })(),
    );

    // 3. Delivery to the local SMTP server (a separate process), `messages` of them.
    const mailDir = join(dir, 'mail');
    const sink = await startSink(mailDir);
    let delivery;
    let rawSend;
    try {
      const transport = createSmtpTransport({ host: '127.0.0.1', port: sink.port, tls: 'none' });
      delivery = await timeOnce(() => runDeliveryBatch(core.db, clock, transport, { limit: messages, chunk: 50 }));
      // Baseline: nodemailer sending the same number of messages (same PDF) with no bookkeeping.
      const samplePdf = await renderStatementPdf(snaps[0]!);
      rawSend = await timeOnce(async () => {
        for (let i = 0; i < delivery!.value.sent; i++) {
          await transport.send({ from: 'a@b.test', to: 'c@d.test', subject: 'baseline', text: 'baseline body', messageId: `<base-${i}@bench>`, date: new Date(), headers: {}, attachments: [{ filename: 's.pdf', content: samplePdf, contentType: 'application/pdf' }] });
        }
      });
      transport.close();
    } finally {
      await sink.stop();
    }
    const sent = delivery.value.sent;
    const figures = {
      accounts: n,
      statements,
      notifications: run.value.value.notifications,
      statementRunMs: run.ms,
      pdfRenderMs: pdf.ms,
      pdfMeanBytes: Math.round(pdfBytes / Math.max(1, statements)),
      statementsPerSecIncludingPdfs: round(statements / ((run.ms + pdf.ms) / 1000), 1),
      statementsPerSecRunOnly: round(statements / (run.ms / 1000), 1),
      baselineRawInsertMs: base.ms,
      ratioRunVsRawInsert: round(run.ms / base.ms, 1),
      messagesDelivered: sent,
      deliveryMs: delivery.ms,
      messagesPerSec: round(sent / (delivery.ms / 1000), 1),
      baselineRawNodemailerPerSec: round(sent / (rawSend.ms / 1000), 1),
      ratioDeliveryVsRawSend: round(delivery.ms / rawSend.ms, 2),
    };
    console.log(`statement run: ${statements.toLocaleString()} statements in ${(run.ms / 1000).toFixed(2)} s (+ PDFs ${(pdf.ms / 1000).toFixed(2)} s) → ${figures.statementsPerSecIncludingPdfs}/s with PDFs; raw insert of the same rows ${base.ms} ms`);
    console.log(`delivery: ${sent} messages in ${(delivery.ms / 1000).toFixed(2)} s → ${figures.messagesPerSec}/s (raw nodemailer ${figures.baselineRawNodemailerPerSec}/s)`);
    return figures;
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

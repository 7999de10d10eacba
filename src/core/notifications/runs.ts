import type { Kysely } from 'kysely';
import type { FileDownloadDTO } from '../../shared/contract/imports';
import { notificationsContract, type BatchDTO, type BatchDetailDTO, type BatchIssueDTO, type LevelDTO, type NotificationStatus, type ProfileDTO, type RunPreviewDTO } from '../../shared/contract/notifications';
import { addDays } from '../../shared/dates';
import { newId, referenceFromId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { SUPERVISORS } from '../../shared/roles';
import { defineCommand, defineQuery, type CommandCtx } from '../commands/types';
import type { Database } from '../db/schema';
import { daysPastDue, highestLevelForItems, levelOffset, selectLevel } from './levels';
import { loadProfile } from './profiles';
import { higherPending, queueContext, queueStatements, statusCounts, type Candidate } from './queue';
import { gatherAccountFacts, type StatementSnapshot } from './statement-data';
import { readStatementFile } from './statement-file';
import { renderStatementPdf } from './statement-pdf';
import { officeDays } from '../commands/office-days';

export async function createBatch(ctx: CommandCtx, batchId: string, profile: ProfileDTO, source: BatchDTO['source'], asOf: string, fileName: string | null) {
  const number = referenceFromId(batchId, 'STB');
  await ctx.db
    .insertInto('statement_batches')
    .values({ id: batchId, number, profile_id: profile.id, source, file_name: fileName, as_of: asOf, statements: 0, notifications: 0, skipped: 0, issues_json: '[]', created_by: ctx.actor.userId, created_at: ctx.now })
    .execute();
  return { id: batchId, number, asOf };
}

export async function finishBatch(ctx: CommandCtx, batchId: string, r: { statements: number; notifications: number; skipped: number }, issues: BatchIssueDTO[]) {
  await ctx.db
    .updateTable('statement_batches')
    .set({ statements: r.statements, notifications: r.notifications, skipped: r.skipped, issues_json: JSON.stringify(issues.slice(0, 5000)) })
    .where('id', '=', batchId)
    .execute();
  await ctx.audit({ action: 'create', entity: 'statement_batch', entityId: batchId, after: { ...r, issues: issues.length } });
  ctx.changed('notifications', 'statements');
  return loadBatch(ctx.db, batchId);
}

/** Who a statement run covers (division, minimum balance, days past due) and at which level. */
async function runCandidates(db: Kysely<Database>, profile: ProfileDTO, asOf: string): Promise<Candidate[]> {
  const minBalance = Math.max(1, profile.minBalanceCents);
  let q = db.selectFrom('accounts').select('id').where('status', '=', 'active').where('balance_cents', '>=', minBalance);
  if (profile.divisionId) q = q.where('division_id', '=', profile.divisionId);
  const ids = (await q.orderBy('account_number').execute()).map((r) => r.id);
  const facts = await gatherAccountFacts(db, ids, asOf);
  const candidates: Candidate[] = [];
  for (const id of ids) {
    const f = facts.get(id)!;
    if (f.closingCents < minBalance || !f.oldestDueDate) continue;
    if (daysPastDue(f.oldestDueDate, asOf) < profile.minDaysPastDue) continue;
    const level = highestLevelForItems(profile.levels, f.itemDays);
    if (!level) continue;
    candidates.push({ facts: f, level, triggerDate: addDays(f.oldestDueDate, levelOffset(level)) });
  }
  return candidates;
}

/**
 * "Run statements" asks before it queues: how many notifications of each level the run would
 * queue, and how many accounts it would leave (already notified, a higher level queued, opted out).
 */
export const previewRun = defineQuery({
  name: 'statements.previewRun',
  roles: SUPERVISORS,
  input: notificationsContract['statements.previewRun'].input,
  run: async ({ db, clock }, i): Promise<RunPreviewDTO> => {
    const profile = await loadProfile(db, i.profileId);
    const asOf = i.asOf ?? clock.today();
    const candidates = await runCandidates(db, profile, asOf);
    const { optedOut, already, pendingByAccount } = await queueContext(db, profile.id, candidates.map((c) => c.facts.id), true);
    const out: RunPreviewDTO = { profileId: profile.id, asOf, levels: profile.levels.map((l) => ({ level: l.level, name: l.name, count: 0 })), toQueue: 0, alreadyNotified: 0, higherQueued: 0, optedOut: 0 };
    for (const c of candidates) {
      if (optedOut.has(c.facts.id)) out.optedOut++;
      else if (already.has(`${c.facts.id}|${c.level.level}|${c.facts.oldestDueDate}`)) out.alreadyNotified++;
      else if (higherPending(pendingByAccount.get(c.facts.id), c.level.level)) out.higherQueued++;
      else {
        out.toQueue++;
        const l = out.levels.find((x) => x.level === c.level.level);
        if (l) l.count++;
      }
    }
    return out;
  },
});

/**
 * Statement run: every active account the profile covers (division, minimum balance, days past
 * due) whose oldest unpaid charge has reached a dunning level gets a statement and one notification
 * at its highest level.
 */
export const runStatements = defineCommand({
  name: 'statements.run',
  version: 1,
  roles: SUPERVISORS,
  input: notificationsContract['statements.run'].input,
  synced: true,
  prepare: (i) => (i.batchId ? {} : { batchId: newId() }),
  subject: (i) => i.batchId,
  run: async (ctx, i) => {
    const profile = await loadProfile(ctx.db, i.profileId);
    if (!profile.active) fail('CONFLICT', `The profile "${profile.name}" is inactive; activate it before running statements.`, { field: 'profileId' });
    const asOf = i.asOf ?? ctx.today;
    const batch = await createBatch(ctx, i.batchId!, profile, 'run', asOf, null);
    const candidates = await runCandidates(ctx.db, profile, asOf);
    const r = await queueStatements(ctx, profile, batch, candidates, { dedupe: true });
    const issues: BatchIssueDTO[] = r.notes;
    const already = r.skipped - (r.notes.length - r.superseded);
    if (already > 0) issues.push({ message: `${already} account(s) were already notified at their current level; they were not notified again.` });
    return finishBatch(ctx, batch.id, r, issues);
  },
});

/** Reads a statement file and says what it would queue; writes nothing. */
export const previewStatementFile = defineQuery({
  name: 'statements.previewFile',
  roles: SUPERVISORS,
  input: notificationsContract['statements.previewFile'].input,
  run: async ({ db }, i) => {
    const parsed = await readStatementFile(i.fileName, Buffer.from(i.contentBase64, 'base64'));
    if (!parsed.ok) fail(parsed.code, `${i.fileName}: ${parsed.message}`, { field: 'file' });
    const known = await accountsByNumber(db, [...new Set(parsed.rows.map((r) => r.accountNumber))], null);
    return {
      fileName: i.fileName,
      rows: parsed.rows,
      unknownAccounts: parsed.rows.filter((r) => !known.has(r.accountNumber)).map((r) => ({ row: r.row, accountNumber: r.accountNumber })),
      issues: [...parsed.issues, ...parsed.rows.filter((r) => (known.get(r.accountNumber)?.length ?? 0) > 1).map((r) => ({ row: r.row, column: 'Account Number', message: `Account ${r.accountNumber} exists in several divisions.` }))],
      notes: parsed.notes,
    };
  },
});

async function accountsByNumber(db: Kysely<Database>, numbers: string[], divisionId: string | null) {
  const out = new Map<string, { id: string; status: string }[]>();
  for (let i = 0; i < numbers.length; i += 500) {
    let q = db.selectFrom('accounts').select(['id', 'account_number', 'status']).where('account_number', 'in', numbers.slice(i, i + 500));
    if (divisionId) q = q.where('division_id', '=', divisionId);
    for (const a of await q.execute()) out.set(a.account_number, [...(out.get(a.account_number) ?? []), { id: a.id, status: a.status }]);
  }
  return out;
}

/**
 * Uploaded statement/notification file: each known account gets one statement (the file's amount
 * due and due date) and one notification at the highest level of its rows. Unknown accounts are
 * listed in the batch and nothing is queued for them.
 */
export const uploadStatementFile = defineCommand({
  name: 'statements.uploadFile',
  version: 1,
  roles: SUPERVISORS,
  input: notificationsContract['statements.uploadFile'].input,
  synced: true,
  prepare: (i) => (i.batchId ? {} : { batchId: newId() }),
  subject: (i) => i.batchId,
  run: async (ctx, i) => {
    const profile = await loadProfile(ctx.db, i.profileId);
    const asOf = ctx.today;
    const batch = await createBatch(ctx, i.batchId!, profile, 'file', asOf, i.fileName);
    const issues: BatchIssueDTO[] = [];
    const known = await accountsByNumber(ctx.db, [...new Set(i.rows.map((r) => r.accountNumber))], profile.divisionId);
    const byAccount = new Map<string, { level: LevelDTO; amount: number; due: string; rows: number[] }>();
    for (const r of i.rows) {
      const matches = known.get(r.accountNumber) ?? [];
      if (matches.length === 0) {
        issues.push({ row: r.row, accountNumber: r.accountNumber, message: `Unknown account ${r.accountNumber}${profile.divisionName ? ` in ${profile.divisionName}` : ''}: nothing was queued for it.` });
        continue;
      }
      if (matches.length > 1) {
        issues.push({ row: r.row, accountNumber: r.accountNumber, message: `Account ${r.accountNumber} exists in several divisions: use a profile for one division.` });
        continue;
      }
      const acct = matches[0]!;
      if (acct.status !== 'active') {
        issues.push({ row: r.row, accountNumber: r.accountNumber, message: `Account ${r.accountNumber} is inactive: nothing was queued for it.` });
        continue;
      }
      let level: LevelDTO | null;
      if (r.level !== null) {
        level = profile.levels.find((l) => l.level === r.level) ?? null;
        if (!level) {
          issues.push({ row: r.row, accountNumber: r.accountNumber, message: `Level ${r.level} is not a level of "${profile.name}" (it has ${profile.levels.length}).` });
          continue;
        }
      } else level = selectLevel(profile.levels, daysPastDue(r.dueDate, asOf)) ?? profile.levels[0]!;
      const prev = byAccount.get(acct.id);
      if (!prev) byAccount.set(acct.id, { level, amount: r.amountDueCents, due: r.dueDate, rows: [r.row] });
      else {
        prev.amount += r.amountDueCents;
        if (r.dueDate < prev.due) prev.due = r.dueDate;
        if (level.level > prev.level.level) prev.level = level;
        prev.rows.push(r.row);
      }
    }
    const facts = await gatherAccountFacts(ctx.db, [...byAccount.keys()], asOf);
    const candidates: Candidate[] = [];
    for (const [accountId, g] of byAccount) {
      const f = facts.get(accountId)!;
      if (g.amount <= 0) {
        issues.push({ row: g.rows[0], accountNumber: f.number, message: `Account ${f.number}: nothing is due; no notification.` });
        continue;
      }
      candidates.push({ facts: f, level: g.level, override: { amountDueCents: g.amount, dueDate: g.due }, triggerDate: addDays(g.due, levelOffset(g.level)) });
    }
    const r = await queueStatements(ctx, profile, batch, candidates, { dedupe: false });
    return finishBatch(ctx, batch.id, { ...r, skipped: r.skipped + (i.rows.length - candidates.length) }, [...issues, ...r.notes]);
  },
});

type BatchRow = Database['statement_batches'] & { profile_name: string; created_by_name: string | null };

function batchSelect(db: Kysely<Database>) {
  return db
    .selectFrom('statement_batches')
    .innerJoin('statement_profiles', 'statement_profiles.id', 'statement_batches.profile_id')
    .leftJoin('users', 'users.id', 'statement_batches.created_by')
    .selectAll('statement_batches')
    .select(['statement_profiles.name as profile_name', 'users.display_name as created_by_name']);
}

async function toBatch(db: Kysely<Database>, b: BatchRow): Promise<BatchDTO> {
  const files = await db.selectFrom('letter_files').select(['id', 'letters', 'created_at']).where('batch_id', '=', b.id).orderBy('created_at').execute();
  return {
    id: b.id,
    number: b.number,
    profileId: b.profile_id,
    profileName: b.profile_name,
    source: b.source,
    fileName: b.file_name,
    asOf: b.as_of,
    statements: Number(b.statements),
    notifications: Number(b.notifications),
    skipped: Number(b.skipped),
    issues: JSON.parse(b.issues_json) as BatchIssueDTO[],
    createdBy: b.created_by_name ?? '',
    createdAt: b.created_at,
    statusCounts: await statusCounts(db, { batchId: b.id }),
    letterFiles: files.map((f) => ({ id: f.id, letters: Number(f.letters), createdAt: f.created_at })),
  };
}

export async function loadBatch(db: Kysely<Database>, batchId: string): Promise<BatchDTO> {
  const b = await batchSelect(db).where('statement_batches.id', '=', batchId).executeTakeFirst();
  if (!b) fail('NOT_FOUND', 'That statement batch does not exist.', { field: 'batchId' });
  return toBatch(db, b);
}

export const listBatches = defineQuery({
  name: 'statements.batches',
  roles: SUPERVISORS,
  input: notificationsContract['statements.batches'].input,
  run: async ({ db }, i) => {
    let q = batchSelect(db).orderBy('statement_batches.created_at', 'desc').orderBy('statement_batches.id', 'desc').limit(i.limit ?? 100);
    if (i.profileId) q = q.where('statement_batches.profile_id', '=', i.profileId);
    const rows = await q.execute();
    return Promise.all(rows.map((r) => toBatch(db, r)));
  },
});

export const getBatch = defineQuery({
  name: 'statements.batch',
  roles: SUPERVISORS,
  input: notificationsContract['statements.batch'].input,
  run: async ({ db }, i): Promise<BatchDetailDTO> => {
    const batch = await loadBatch(db, i.batchId);
    const rows = await db
      .selectFrom('statements')
      .innerJoin('accounts', 'accounts.id', 'statements.account_id')
      .leftJoin('notifications', 'notifications.statement_id', 'statements.id')
      .select([
        'statements.id',
        'statements.account_id',
        'accounts.account_number',
        'accounts.name',
        'statements.amount_due_cents',
        'statements.closing_cents',
        'statements.oldest_due_date',
        'statements.days_past_due',
        'notifications.id as notification_id',
        'notifications.level',
        'notifications.status',
      ])
      .where('statements.batch_id', '=', i.batchId)
      .orderBy('accounts.account_number')
      .execute();
    return {
      ...batch,
      statementRows: rows.map((r) => ({
        id: r.id,
        accountId: r.account_id,
        accountNumber: r.account_number,
        accountName: r.name,
        amountDueCents: Number(r.amount_due_cents),
        closingCents: Number(r.closing_cents),
        oldestDueDate: r.oldest_due_date,
        daysPastDue: Number(r.days_past_due),
        notificationId: r.notification_id,
        level: r.level === null ? null : Number(r.level),
        status: (r.status as NotificationStatus | null) ?? null,
      })),
    };
  },
});

export async function loadSnapshot(db: Kysely<Database>, statementId: string): Promise<StatementSnapshot> {
  const s = await db.selectFrom('statements').select('snapshot_json').where('id', '=', statementId).executeTakeFirst();
  if (!s) fail('NOT_FOUND', 'That statement does not exist.', { field: 'statementId' });
  return JSON.parse(s.snapshot_json) as StatementSnapshot;
}

export const statementPdf = defineQuery({
  name: 'statements.pdf',
  roles: SUPERVISORS,
  input: notificationsContract['statements.pdf'].input,
  run: async ({ db }, i): Promise<FileDownloadDTO> => {
    const snap = await loadSnapshot(db, i.statementId);
    const pdf = await renderStatementPdf(snap);
    return { fileName: `statement-${snap.account.number}-${snap.statementDate}.pdf`, mime: 'application/pdf', contentBase64: pdf.toString('base64') };
  },
});

export const lettersPdf = defineQuery({
  name: 'statements.lettersPdf',
  roles: SUPERVISORS,
  input: notificationsContract['statements.lettersPdf'].input,
  run: async ({ db }, i): Promise<FileDownloadDTO> => {
    const f = await db
      .selectFrom('letter_files')
      .innerJoin('statement_batches', 'statement_batches.id', 'letter_files.batch_id')
      .select(['letter_files.pdf', 'letter_files.created_at', 'statement_batches.number'])
      .where('letter_files.id', '=', i.letterFileId)
      .executeTakeFirst();
    if (!f) fail('NOT_FOUND', 'That letters file does not exist.', { field: 'letterFileId' });
    // Named by the office day the batch was made, not the UTC day.
    const day = (await officeDays(db)).dayOf(f.created_at);
    return { fileName: `letters-${f.number}-${day}.pdf`, mime: 'application/pdf', contentBase64: Buffer.from(f.pdf).toString('base64') };
  },
});

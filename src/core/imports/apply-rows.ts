import type { ImportSummaryDTO } from '../../shared/contract/imports';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { assertMay, fileRule } from '../settings/role-rules';

import { defineCommand, insertMany, type CommandCtx } from '../commands/types';
import { canonicalJson, sha256, sequentialId } from '../util/canonical-json';
import type { Database } from '../db/schema';
import { insertInvoice } from '../invoices/create-invoice';
import { creditClosedPayments, supersedeInvoice } from '../invoices/supersede';
import { applyOldestDueFirst } from '../ledger/allocation';
import { assertPeriodOpen } from '../ledger/journal';
import { postBalanceAdjustments, type AdjustmentToPost } from '../ledger/adjustments';
import { applyRowsInput, type ApplyRowsInput, type BalanceRowInput, type BillRowInput } from './command-input';
import { planBalanceImport, planBillImport, type ImportPlan } from './plan';
import { indexNewAccountsInBulk } from './search-index';
import { withIndexesRebuilt } from './rebuild-indexes';
import { findUploadBySha, loadUpload, readKey } from './uploads';

export interface ApplyRowsResult extends ImportSummaryDTO {
  uploadId: string;
  /** Set when the same file had been applied before: nothing changed this time. */
  duplicateOf: string | null;
}

async function loadUploadSummary(ctx: CommandCtx, uploadId: string): Promise<ImportSummaryDTO> {
  const { rowsRead, accountsUpdated, accountsCreated, accountsUnchanged, invoicesCreated, invoicesReplaced, warnings, errors, notInFile } = await loadUpload(ctx.db, uploadId);
  return { rowsRead, accountsUpdated, accountsCreated, accountsUnchanged, invoicesCreated, invoicesReplaced, warnings, errors, notInFile };
}


/**
 * Applies a parsed file in ONE transaction: every valid row, with rows in error skipped and listed.
 * The same file (same SHA-256, kind and division) applied again changes nothing and answers with
 * the earlier upload's result.
 */
export const applyImportRows = defineCommand({
  name: 'imports.applyRows',
  version: 1,
  // Who may upload each kind of file is a setting (Settings: balance files, bill files).
  roles: ANY_ROLE,
  input: applyRowsInput,
  synced: true,
  prepare: (i) => (i.uploadId ? {} : { uploadId: newId() }),
  subject: (i) => i.uploadId,
  // The rows follow from the file's bytes and how they were read (kind, readAs): hash those and the
  // admin's answers, not 100,000 rows. The row count still tells a cut-down copy apart.
  sameInputKey: ({ rows, parseIssues, notes, ...rest }) => canonicalJson({ ...rest, rowCount: rows.length, issueCount: parseIssues.length, noteCount: notes.length }),
  run: async (ctx, i): Promise<ApplyRowsResult> => {
    await assertMay(ctx.db, ctx.actor.role, fileRule(i.kind), 'kind');
    const earlier = await findEarlierUpload(ctx, i);
    if (earlier) return { uploadId: earlier, duplicateOf: earlier, ...(await loadUploadSummary(ctx, earlier)) };
    await assertPeriodOpen(ctx, ctx.today, 'date');
    const decisions = i.decisions ?? {};
    const plan = i.kind === 'balance' ? await planBalanceImport(ctx.db, i.rows as BalanceRowInput[], i.divisionId, decisions) : await planBillImport(ctx.db, i.rows as BillRowInput[], i.divisionId, decisions);
    refuseOpenQuestions(plan);
    // The upload row first: the adjustments name it.
    const placeholder: Database['uploads'] = {
      id: i.uploadId!, sha256: i.sha256, file_name: i.fileName, kind: i.kind, division_id: i.divisionId, uploaded_by: ctx.actor.userId, uploaded_at: ctx.now,
      rows_read: i.rowsRead, read_as: readKey(i.readAs), accounts_updated: 0, accounts_created: 0, invoices_created: 0, invoices_replaced: 0, warnings: 0, errors: 0, result_json: '{}',
    };
    await ctx.db.insertInto('uploads').values(placeholder).execute();
    const accountIds = await createAccounts(ctx, plan);
    const counts = i.kind === 'balance' ? await applyBalances(ctx, plan, accountIds) : await applyBills(ctx, plan, accountIds);
    const issues = [...i.parseIssues, ...plan.issues].sort((a, b) => a.row - b.row);
    const summary = {
      rowsRead: i.rowsRead,
      accountsUpdated: counts.updated,
      accountsCreated: plan.accountsToCreate.length,
      accountsUnchanged: plan.changes.filter((c) => c.action === 'unchanged' || c.action === 'invoice-unchanged').length,
      invoicesCreated: counts.invoicesCreated,
      invoicesReplaced: counts.invoicesReplaced,
      warnings: issues.filter((x) => x.severity === 'warning').length,
      errors: issues.filter((x) => x.severity === 'error').length,
      notInFile: plan.notInFile,
    };
    const row: Database['uploads'] = {
      ...placeholder,
      accounts_updated: summary.accountsUpdated,
      accounts_created: summary.accountsCreated,
      invoices_created: summary.invoicesCreated,
      invoices_replaced: summary.invoicesReplaced,
      warnings: summary.warnings,
      errors: summary.errors,
      result_json: JSON.stringify({ changes: plan.changes, issues, identityChanges: plan.identityChanges, otherDivision: plan.otherDivision, decisions, notes: [...i.notes, ...plan.notes], notInFile: plan.notInFile, accountsUnchanged: summary.accountsUnchanged, format: i.format }),
    };
    await ctx.db.updateTable('uploads').set(row).where('id', '=', row.id).execute();
    // One audit entry per upload. Every account's before and after is in the upload's result,
    // whose hash the entry carries, so the chain covers each change without 100k entries.
    await ctx.audit({
      action: 'upload',
      entity: 'upload',
      entityId: row.id,
      after: { fileName: i.fileName, sha256: i.sha256, kind: i.kind, divisionId: i.divisionId, ...summary, resultSha256: sha256(row.result_json) },
    });
    ctx.changed('accounts', 'invoices', 'uploads', 'payments');
    // A slim answer (kept in the command log for replays); callers load the full result by id.
    return { uploadId: row.id, duplicateOf: null, ...summary };
  },
});

/** Identity is never changed by default: a file that raises a question applies only once it is answered. */
function refuseOpenQuestions(plan: ImportPlan) {
  const words: string[] = [];
  if (plan.questions.includes('identity')) {
    const accounts = new Set(plan.identityChanges.map((c) => `${c.division}\u0000${c.accountNumber}`)).size;
    words.push(`the file changes the name, email or user ID of ${accounts} existing account${accounts === 1 ? '' : 's'}: choose "Apply the new details" or "Keep existing details"`);
  }
  if (plan.questions.includes('otherDivision')) {
    const n = plan.otherDivision.length;
    words.push(`${n} account number${n === 1 ? '' : 's'} already exist${n === 1 ? 's' : ''} in another division: choose "Create separate accounts" or "Skip those rows"`);
  }
  if (words.length) fail('VALIDATION', `Nothing was applied: ${words.join('; ')}.`, { field: 'decisions' });
}

/** The same file bytes, read the same way, into the same division (uploads.ts findUploadBySha). */
async function findEarlierUpload(ctx: CommandCtx, i: ApplyRowsInput): Promise<string | null> {
  return (await findUploadBySha(ctx.db, i.sha256, i.kind, i.divisionId, readKey(i.readAs)))?.uploadId ?? null;
}

async function createAccounts(ctx: CommandCtx, plan: ImportPlan): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const base = ctx.id('accounts');
  const rows: Database['accounts'][] = plan.accountsToCreate.map((a, n) => {
    const id = sequentialId(base, n);
    ids.set(a.key, id);
    return {
      id,
      division_id: a.divisionId,
      account_number: a.accountNumber,
      name: a.name,
      email: a.email,
      portal_user_id: a.portalUserId ? a.portalUserId.toLowerCase() : null,
      status: 'active',
      // Its opening balance is cached at once: the balance file's adjustment posts the entry that
      // makes it so, in this transaction (postBalanceAdjustments leaves new accounts' cache alone).
      // A bill file's new accounts open at 0 and their invoices raise it.
      balance_cents: a.balanceCents,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
  });
  // Their names go into the search index in one statement, in this transaction.
  // Their secondary indexes (name, number, portal user) are built once after a batch larger than
  // the table (rebuild-indexes.ts): measured at 100k, ~1.5 s of row-by-row index inserts -> ~0.15 s.
  const rebuilt = ['accounts_name', 'accounts_number', 'accounts_portal_user'];
  await indexNewAccountsInBulk(ctx, () => withIndexesRebuilt(ctx, 'accounts', rebuilt, rows.length, () => insertMany(ctx, 'accounts', rows)));
  return ids;
}

/**
 * Each account's new balance arrives as one adjustment of the difference, posted as an adjustment
 * charge (raising) or credit (lowering) so open charges, aging and statements move with it
 * (ledger/adjustments.ts). The record of each change is the journal entry (amount, "Balance set to
 * … by file upload") and the upload's result (every account's old and new balance, row by row),
 * whose hash the upload's audit entry carries. No balance_adjustments row is written: nothing reads
 * that table, and at 100k lines it was a fifth of the rows and 28 MB written (it keeps the rows of
 * earlier versions).
 */
async function applyBalances(ctx: CommandCtx, plan: ImportPlan, created: Map<string, string>) {
  const adjBase = ctx.id('adjustments');
  let adjustmentsNumbered = 0;
  const posts: AdjustmentToPost[] = [];
  // The id names the adjustment's postings (labels, its charge's ADJ number), as before.
  const move = (accountId: string, divisionId: string | null, oldCents: number, newCents: number, isNew: boolean) => {
    const delta = newCents - oldCents;
    if (delta === 0) return;
    posts.push({ id: sequentialId(adjBase, adjustmentsNumbered++), accountId, divisionId, amountCents: delta, newBalanceCents: newCents, isNew });
  };
  for (const a of plan.accountsToCreate) move(created.get(a.key)!, a.divisionId, 0, a.balanceCents, true);
  for (const u of plan.balanceUpdates) {
    if (Object.keys(u.details).length > 0) {
      await ctx.db.updateTable('accounts').set({ ...u.details, updated_at: ctx.now }).where('id', '=', u.accountId).execute();
    }
    move(u.accountId, u.divisionId, u.oldCents, u.newCents, false);
  }
  await postBalanceAdjustments(ctx, posts, { reason: 'file upload', date: ctx.today });
  return { updated: plan.balanceUpdates.length, invoicesCreated: 0, invoicesReplaced: 0 };
}

async function applyBills(ctx: CommandCtx, plan: ImportPlan, created: Map<string, string>) {
  let invoicesCreated = 0;
  let invoicesReplaced = 0;
  const touched = new Set<string>();
  for (const inv of plan.invoices) {
    const accountId = inv.accountId ?? created.get(inv.accountKey)!;
    const invoiceId = ctx.id(`invoice/${accountId}/${inv.invoiceNumber}`);
    const { freed, locked } = inv.replacesInvoiceId ? await supersedeInvoice(ctx, inv.replacesInvoiceId, invoiceId) : { freed: [], locked: [] };
    await insertInvoice(ctx, { invoiceId, accountId, invoiceNumber: inv.invoiceNumber, invoiceDate: inv.invoiceDate, dueDate: inv.dueDate, lines: inv.lines });
    // Payments in a closed deposit or month keep their applications; what they paid is credited today.
    if (inv.replacesInvoiceId && locked.length) {
      const acct = await ctx.db.selectFrom('accounts').select(['id', 'division_id']).where('id', '=', accountId).executeTakeFirstOrThrow();
      await creditClosedPayments(ctx, acct, { id: inv.replacesInvoiceId, number: inv.invoiceNumber }, invoiceId, locked);
    }
    // What the earlier version had been paid goes to the open charges again, oldest due first.
    for (const f of freed) await applyOldestDueFirst(ctx, f.paymentId, accountId, f.amountCents, `reapply/${invoiceId}/${f.paymentId}`);
    if (inv.replacesInvoiceId) invoicesReplaced++;
    else invoicesCreated++;
    if (inv.accountId) touched.add(inv.accountId);
  }
  return { updated: touched.size, invoicesCreated, invoicesReplaced };
}

import { CreditKindLabels, creditsContract, type CreditDTO, type CreditKind, type PostCreditResultDTO } from '../../shared/contract/credits';
import { newId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import { fail } from '../../shared/result';
import { ANY_ROLE, SUPERVISORS } from '../../shared/roles';
import type { Executor } from '../commands/executor';
import { defineCommand, defineQuery, type Actor, type CommandCtx } from '../commands/types';
import type { CreditsTable } from '../db/schema-credits';
import { assertPeriodOpen, getActiveAccount, postEntry } from '../ledger/journal';
import { createInvoice, insertInvoice } from '../invoices/create-invoice';
import { applyAccountCredits, applyCredit, unapplyCreditFully } from './apply-credits';
import { newCreditRow } from './credit-row';
import { listAccountCredits, loadCredit } from './credit-views';

export interface NewCredit {
  creditId: string;
  accountId: string;
  amountCents: number;
  kind: CreditKind;
  creditItemId?: string | null;
  classification?: string;
  publicComment?: string;
  privateComment?: string;
  invoiceId?: string | null;
  creditDate: string;
  batchId?: string | null;
  replacesId?: string | null;
}

/**
 * Posts one credit: the record, its journal entry (the balance goes down by the amount), its
 * applications (the chosen invoice first, then oldest due first; the rest stays on the account for
 * the next invoice), and the audit. Everything or nothing: it runs inside the command's transaction.
 */
export async function insertCredit(ctx: CommandCtx, c: NewCredit): Promise<CreditsTable> {
  if (!Number.isSafeInteger(c.amountCents) || c.amountCents <= 0) fail('VALIDATION', 'The amount must be more than $0.00.', { field: 'amount' });
  const acct = await getActiveAccount(ctx, c.accountId);
  await assertPeriodOpen(ctx, c.creditDate, 'creditDate');
  const clash = await ctx.db.selectFrom('credits').select('id').where('id', '=', c.creditId).executeTakeFirst();
  if (clash) fail('CONFLICT', 'This credit was already posted.', { field: 'creditId', creditId: c.creditId });
  let itemName: string | null = null;
  if (c.creditItemId) {
    const item = await ctx.db.selectFrom('credit_items').select(['name', 'status']).where('id', '=', c.creditItemId).executeTakeFirst();
    if (!item) fail('NOT_FOUND', 'That credit item does not exist.', { field: 'creditItemId' });
    // A correction keeps the item it had even if it was retired since.
    if (item.status !== 'active' && !c.replacesId) fail('CONFLICT', `The credit item "${item.name}" is retired; choose another one.`, { field: 'creditItemId' });
    itemName = item.name;
  } else if (c.kind === 'credit') {
    fail('VALIDATION', 'Choose a credit item (or create one).', { field: 'creditItemId' });
  }
  if (c.invoiceId) {
    const inv = await ctx.db.selectFrom('invoices').select(['account_id', 'status', 'invoice_number']).where('id', '=', c.invoiceId).executeTakeFirst();
    if (!inv || inv.account_id !== acct.id) fail('VALIDATION', `That invoice is not on account ${acct.account_number}.`, { field: 'invoiceId' });
    if (inv.status !== 'open') fail('CONFLICT', `Invoice ${inv.invoice_number} was replaced by a newer version; post against the new one.`, { field: 'invoiceId' });
  }
  const row: CreditsTable = newCreditRow(ctx, {
    id: c.creditId,
    accountId: acct.id,
    divisionId: acct.division_id,
    kind: c.kind,
    amountCents: c.amountCents,
    date: c.creditDate,
    classification: c.classification,
    publicComment: c.publicComment,
    privateComment: c.privateComment,
    creditItemId: c.creditItemId,
    invoiceId: c.invoiceId,
    batchId: c.batchId,
    replacesId: c.replacesId,
  });
  await ctx.db.insertInto('credits').values(row).execute();
  const label = itemName ?? CreditKindLabels[c.kind];
  await postEntry(ctx, {
    accountId: acct.id,
    entryDate: c.creditDate,
    kind: c.kind,
    amountCents: -c.amountCents,
    sourceType: 'credit',
    sourceId: row.id,
    // The public comment only: the private one never reaches what the payer sees.
    description: `${c.kind === 'credit' ? 'Credit' : CreditKindLabels[c.kind]}: ${label}${row.public_comment ? ` (${row.public_comment})` : ''}`,
    label: `credit/${row.id}`,
  });
  const applied = await applyCredit(ctx, row.id, `credit/${row.id}`);
  await ctx.audit({ action: c.replacesId ? 'correct' : 'create', entity: 'credit', entityId: row.id, after: { ...row, applied } });
  ctx.changed('credits', 'accounts', 'invoices');
  return row;
}

/**
 * Takes a credit back without erasing it: its applications are undone, a reversing journal entry
 * raises the balance again, and the row is marked replaced (by a corrected record) or reversed.
 */
export async function reverseCreditRecord(ctx: CommandCtx, credit: CreditsTable, how: { status: 'replaced' | 'reversed'; reason: string; replacedBy?: string }): Promise<void> {
  if (credit.status !== 'active') fail('CONFLICT', `This ${CreditKindLabels[credit.kind].toLowerCase()} was already ${credit.status}; it cannot change again.`, { field: 'creditId' });
  await getActiveAccount(ctx, credit.account_id);
  await assertPeriodOpen(ctx, ctx.today, 'creditId');
  const unapplied = await unapplyCreditFully(ctx, credit.id, `reverse/${credit.id}`);
  await postEntry(ctx, {
    accountId: credit.account_id,
    entryDate: ctx.today,
    kind: `${credit.kind}_reversal`,
    amountCents: Number(credit.amount_cents),
    sourceType: 'credit',
    sourceId: credit.id,
    description: `${CreditKindLabels[credit.kind]} of ${formatMoney(Number(credit.amount_cents))} ${how.status === 'replaced' ? 'corrected' : 'reversed'}: ${how.reason}`,
    label: `credit-reversal/${credit.id}`,
  });
  const after = { status: how.status, replaced_by: how.replacedBy ?? null, reversal_reason: how.reason, reversed_by: ctx.actor.userId, reversed_at: ctx.now };
  await ctx.db.updateTable('credits').set(after).where('id', '=', credit.id).execute();
  await ctx.audit({
    action: how.status === 'replaced' ? 'correct' : 'reverse',
    entity: 'credit',
    entityId: credit.id,
    before: { status: credit.status, amount_cents: credit.amount_cents, public_comment: credit.public_comment, private_comment: credit.private_comment },
    after: { ...after, unappliedCents: unapplied },
  });
  ctx.changed('credits', 'accounts', 'invoices');
}

export async function loadCreditRow(ctx: Pick<CommandCtx, 'db'>, creditId: string): Promise<CreditsTable> {
  const c = await ctx.db.selectFrom('credits').selectAll().where('id', '=', creditId).executeTakeFirst();
  if (!c) fail('NOT_FOUND', 'That credit does not exist.', { field: 'creditId' });
  return c;
}

export const postCredit = defineCommand({
  name: 'credits.post',
  version: 1,
  roles: ANY_ROLE,
  input: creditsContract['credits.post'].input,
  synced: true,
  prepare: (i) => ({
    ...(i.creditId ? {} : { creditId: newId() }),
    ...(i.newInvoice && !i.newInvoice.invoiceId ? { newInvoice: { ...i.newInvoice, invoiceId: newId() } } : {}),
  }),
  subject: (i) => i.creditId,
  run: async (ctx, i) => {
    let invoiceId = i.invoiceId;
    if (i.newInvoice) {
      // Making a charge is an invoice's rule: the same roles as invoices.create.
      if (!createInvoice.roles.includes(ctx.actor.role)) fail('FORBIDDEN', 'Only an Administrator can create an invoice; post the credit on the account or an existing invoice.', { field: 'newInvoice' });
      const date = i.creditDate ?? ctx.today;
      const inv = await insertInvoice(ctx, {
        invoiceId: i.newInvoice.invoiceId!,
        accountId: i.accountId,
        invoiceNumber: i.newInvoice.invoiceNumber,
        invoiceDate: i.newInvoice.invoiceDate ?? date,
        dueDate: i.newInvoice.dueDate ?? i.newInvoice.invoiceDate ?? date,
        lines: i.newInvoice.lines.map((l) => ({ category: l.category, description: l.description, amountCents: l.amount })),
      });
      invoiceId = inv.id;
    }
    await insertCredit(ctx, {
      creditId: i.creditId!,
      accountId: i.accountId,
      amountCents: i.amount,
      kind: i.kind ?? 'credit',
      creditItemId: i.creditItemId,
      classification: i.classification,
      publicComment: i.publicComment,
      privateComment: i.privateComment,
      invoiceId,
      creditDate: i.creditDate ?? ctx.today,
      batchId: i.batchId,
    });
    return loadCredit(ctx.db, i.creditId!);
  },
});

/** Supervisors reverse an ordinary credit posted in error. Gift cards are corrected by Admins. */
export const reverseCredit = defineCommand({
  name: 'credits.reverse',
  version: 1,
  roles: SUPERVISORS,
  input: creditsContract['credits.reverse'].input,
  synced: true,
  subject: (i) => i.creditId,
  run: async (ctx, i) => {
    const c = await loadCreditRow(ctx, i.creditId);
    if (c.kind !== 'credit') fail('CONFLICT', 'Gift cards and prepayments are changed in their own section, by an Administrator.', { field: 'creditId' });
    await reverseCreditRecord(ctx, c, { status: 'reversed', reason: i.reason });
    // Lines it had paid are open again: other unapplied credits of the account go there first.
    await applyAccountCredits(ctx, c.account_id, `reverse/${c.id}/reapply`);
    return loadCredit(ctx.db, c.id);
  },
});

export const getCredit = defineQuery({
  name: 'credits.get',
  roles: ANY_ROLE,
  input: creditsContract['credits.get'].input,
  run: ({ db }, i) => loadCredit(db, i.creditId),
});

export const listCreditsForAccount = defineQuery({
  name: 'credits.listForAccount',
  roles: ANY_ROLE,
  input: creditsContract['credits.listForAccount'].input,
  run: ({ db }, i) => listAccountCredits(db, i.accountId, i.section, i.includeHistory ?? true),
});

export interface BatchCreditInput {
  batchId?: string;
  accounts: { accountId: string; amount: string; creditId?: string }[];
  kind?: CreditKind;
  creditItemId?: string;
  classification?: string;
  publicComment?: string;
  privateComment?: string;
  invoiceId?: string;
  /** Each account gets its own copy of this invoice, with its credit against it. */
  newInvoice?: { invoiceNumber: string; invoiceDate?: string; dueDate?: string; lines: { category: string; description: string; amount: string }[] };
  creditDate?: string;
}

/**
 * Post Credit for several accounts: one `credits.post` command per account, each in its own
 * transaction and synced on its own, so an account that fails (inactive, closed month) leaves the
 * others posted and is never half-posted itself. The renderer does the same loop over its API; this
 * is the same thing for main-side callers (CLI, server, tests).
 */
export async function postCreditBatch(executor: Executor, actor: Actor, b: BatchCreditInput): Promise<PostCreditResultDTO[]> {
  const batchId = b.batchId ?? newId();
  const out: PostCreditResultDTO[] = [];
  for (const a of b.accounts) {
    const r = await executor.execute<CreditDTO>(actor, 'credits.post', {
      accountId: a.accountId,
      amount: a.amount,
      ...(a.creditId ? { creditId: a.creditId } : {}),
      batchId,
      ...(b.kind ? { kind: b.kind } : {}),
      ...(b.creditItemId ? { creditItemId: b.creditItemId } : {}),
      ...(b.classification !== undefined ? { classification: b.classification } : {}),
      ...(b.publicComment !== undefined ? { publicComment: b.publicComment } : {}),
      ...(b.privateComment !== undefined ? { privateComment: b.privateComment } : {}),
      ...(b.invoiceId ? { invoiceId: b.invoiceId } : {}),
      ...(b.newInvoice ? { newInvoice: b.newInvoice } : {}),
      ...(b.creditDate ? { creditDate: b.creditDate } : {}),
    });
    out.push(
      r.ok
        ? { accountId: a.accountId, ok: true, credit: r.value, error: null }
        : { accountId: a.accountId, ok: false, credit: null, error: { code: r.error.code, message: r.error.message, field: r.error.details?.field } },
    );
  }
  return out;
}

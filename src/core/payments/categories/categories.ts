import { sql, type Kysely } from 'kysely';
import { categoriesContract, type CategoryPaymentDTO, type PaymentCategoryDTO } from '../../../shared/contract/categories';
import { newId } from '../../../shared/ids';
import { fail } from '../../../shared/result';
import { ADMINS, ANY_ROLE } from '../../../shared/roles';
import { setCatalogStatus, type CatalogSpec } from '../../catalog/retire-restore';
import { defineCommand, defineQuery, type CommandCtx } from '../../commands/types';
import type { Database } from '../../db/schema';
import type { PaymentCategoriesTable } from '../../db/schema-credits';
import { applyOldestDueFirst, applyToLine, openLinesByDue, spreadInOrder } from '../../ledger/allocation';
import { postEntry } from '../../ledger/journal';
import { insertPayment } from '../record-payment';
import { loadPaymentDetail } from '../payment-views';

/**
 * Payment categories: for all payers or one payer, counting toward the account balance or kept
 * outside it (a donation, a deposit held for the payer). A category payment is an ordinary payment
 * (Make Payment's building block) tagged with its category.
 */

export async function listCategories(db: Kysely<Database>, opts: { accountId?: string; includeRetired?: boolean; categoryId?: string }): Promise<PaymentCategoryDTO[]> {
  let q = db
    .selectFrom('payment_categories')
    .leftJoin('accounts', 'accounts.id', 'payment_categories.account_id')
    .selectAll('payment_categories')
    .select([
      'accounts.account_number',
      'accounts.name as account_name',
      (eb) => eb.selectFrom('category_payments').select(sql<number>`count(*)`.as('n')).whereRef('category_payments.category_id', '=', 'payment_categories.id').as('payment_count'),
    ]);
  if (opts.categoryId) q = q.where('payment_categories.id', '=', opts.categoryId);
  if (opts.accountId) q = q.where((eb) => eb.or([eb('payment_categories.account_id', 'is', null), eb('payment_categories.account_id', '=', opts.accountId!)]));
  if (!opts.includeRetired && !opts.categoryId) q = q.where('payment_categories.status', '=', 'active');
  const rows = await q.orderBy('payment_categories.status').orderBy('payment_categories.name').orderBy('payment_categories.id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    accountId: r.account_id,
    accountNumber: r.account_number ?? null,
    accountName: r.account_name ?? null,
    countsTowardBalance: r.counts_toward_balance === 1,
    status: r.status,
    paymentCount: Number(r.payment_count ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

async function loadOne(db: Kysely<Database>, categoryId: string): Promise<PaymentCategoryDTO> {
  const [c] = await listCategories(db, { categoryId });
  if (!c) fail('NOT_FOUND', 'That payment category does not exist.', { field: 'categoryId' });
  return c;
}

async function loadRow(ctx: CommandCtx, categoryId: string): Promise<PaymentCategoriesTable> {
  const c = await ctx.db.selectFrom('payment_categories').selectAll().where('id', '=', categoryId).executeTakeFirst();
  if (!c) fail('NOT_FOUND', 'That payment category does not exist.', { field: 'categoryId' });
  return c;
}

async function usedBy(ctx: CommandCtx, categoryId: string): Promise<number> {
  const r = await ctx.db.selectFrom('category_payments').select(sql<number>`count(*)`.as('n')).where('category_id', '=', categoryId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

async function assertNameFree(ctx: CommandCtx, name: string, accountId: string | null, exceptId?: string): Promise<void> {
  let q = ctx.db.selectFrom('payment_categories').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).where('status', '=', 'active');
  q = accountId ? q.where('account_id', '=', accountId) : q.where('account_id', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) fail('CONFLICT', `A payment category named "${name}" already exists${accountId ? ' for this payer' : ''}.`, { field: 'name' });
}

export const createCategory = defineCommand({
  name: 'categories.create',
  version: 1,
  roles: ADMINS,
  input: categoriesContract['categories.create'].input,
  synced: true,
  prepare: (i) => (i.categoryId ? {} : { categoryId: newId() }),
  subject: (i) => i.categoryId,
  run: async (ctx, i) => {
    const accountId = i.accountId ?? null;
    if (accountId && !(await ctx.db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst())) {
      fail('NOT_FOUND', 'That account does not exist.', { field: 'accountId' });
    }
    await assertNameFree(ctx, i.name, accountId);
    if (await ctx.db.selectFrom('payment_categories').select('id').where('id', '=', i.categoryId!).executeTakeFirst()) fail('CONFLICT', 'This category already exists.', { field: 'categoryId' });
    const row: PaymentCategoriesTable = {
      id: i.categoryId!,
      name: i.name,
      account_id: accountId,
      counts_toward_balance: i.countsTowardBalance ? 1 : 0,
      status: 'active',
      created_by: ctx.actor.userId,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    await ctx.db.insertInto('payment_categories').values(row).execute();
    await ctx.audit({ action: 'create', entity: 'payment_category', entityId: row.id, after: row });
    ctx.changed('categories');
    return loadOne(ctx.db, row.id);
  },
});

export const updateCategory = defineCommand({
  name: 'categories.update',
  version: 1,
  roles: ADMINS,
  input: categoriesContract['categories.update'].input,
  synced: true,
  subject: (i) => i.categoryId,
  run: async (ctx, i) => {
    const before = await loadRow(ctx, i.categoryId);
    await assertNameFree(ctx, i.name, before.account_id, before.id);
    // Payments made already keep the balance setting they were made with (category_payments).
    const after = { name: i.name, counts_toward_balance: i.countsTowardBalance ? 1 : 0, updated_at: ctx.now };
    await ctx.db.updateTable('payment_categories').set(after).where('id', '=', before.id).execute();
    await ctx.audit({ action: 'update', entity: 'payment_category', entityId: before.id, before: { name: before.name, counts_toward_balance: before.counts_toward_balance }, after });
    ctx.changed('categories');
    return loadOne(ctx.db, before.id);
  },
});

export const deleteCategory = defineCommand({
  name: 'categories.delete',
  version: 1,
  roles: ADMINS,
  input: categoriesContract['categories.delete'].input,
  synced: true,
  subject: (i) => i.categoryId,
  run: async (ctx, i) => {
    const before = await loadRow(ctx, i.categoryId);
    const n = await usedBy(ctx, before.id);
    if (n > 0) {
      fail('CONFLICT', `${n} payment${n === 1 ? ' was' : 's were'} made toward "${before.name}"; deleting it would leave ${n === 1 ? 'it' : 'them'} without a category. Retire it instead.`, {
        field: 'categoryId',
        paymentCount: n,
      });
    }
    await ctx.db.deleteFrom('payment_categories').where('id', '=', before.id).execute();
    await ctx.audit({ action: 'delete', entity: 'payment_category', entityId: before.id, before });
    ctx.changed('categories');
    return { deleted: true as const, categoryId: before.id };
  },
});

/** Payment categories retire and restore by the catalogs' one rule; a name is free per account. */
const categoryCatalog: CatalogSpec<PaymentCategoriesTable> = {
  entity: 'payment_category',
  field: 'categoryId',
  assertNameFree: (ctx, c) => assertNameFree(ctx, c.name, c.account_id, c.id),
  writeStatus: (ctx, id, to) => ctx.db.updateTable('payment_categories').set({ status: to, updated_at: ctx.now }).where('id', '=', id).execute(),
};

export const retireCategory = defineCommand({
  name: 'categories.retire',
  version: 1,
  roles: ADMINS,
  input: categoriesContract['categories.retire'].input,
  synced: true,
  subject: (i) => i.categoryId,
  run: async (ctx, i) => {
    await setCatalogStatus(ctx, categoryCatalog, await loadRow(ctx, i.categoryId), 'retired');
    ctx.changed('categories');
    return loadOne(ctx.db, i.categoryId);
  },
});

export const restoreCategory = defineCommand({
  name: 'categories.restore',
  version: 1,
  roles: ADMINS,
  input: categoriesContract['categories.restore'].input,
  synced: true,
  subject: (i) => i.categoryId,
  run: async (ctx, i) => {
    await setCatalogStatus(ctx, categoryCatalog, await loadRow(ctx, i.categoryId), 'active');
    ctx.changed('categories');
    return loadOne(ctx.db, i.categoryId);
  },
});

export const listCategoriesQuery = defineQuery({
  name: 'categories.list',
  roles: ANY_ROLE,
  input: categoriesContract['categories.list'].input,
  run: ({ db }, i) => listCategories(db, { accountId: i.accountId, includeRetired: i.includeRetired }),
});

/**
 * A payment toward a category. Counting toward the balance: applied to the account's charge lines
 * of that category first (oldest due first), then to the other open charges; the rest stays as a
 * credit. Kept outside the balance: recorded and deposited like any payment, with an offsetting
 * journal entry so the balance does not move, and applied to nothing.
 */
export const payCategory = defineCommand({
  name: 'categories.pay',
  version: 1,
  roles: ANY_ROLE,
  input: categoriesContract['categories.pay'].input,
  synced: true,
  prepare: (i) => (i.paymentId ? {} : { paymentId: newId() }),
  subject: (i) => i.paymentId,
  run: async (ctx, i): Promise<CategoryPaymentDTO> => {
    const paymentId = i.paymentId!;
    const cat = await loadRow(ctx, i.categoryId);
    if (cat.status !== 'active') fail('CONFLICT', `The category "${cat.name}" is retired; choose another one.`, { field: 'categoryId' });
    if (cat.account_id && cat.account_id !== i.accountId) fail('VALIDATION', `The category "${cat.name}" belongs to another payer.`, { field: 'categoryId' });
    const counts = cat.counts_toward_balance === 1;
    await insertPayment(ctx, {
      paymentId,
      accountId: i.accountId,
      amountCents: i.amount,
      method: i.method,
      checkNumber: i.checkNumber,
      paymentDate: i.paymentDate ?? ctx.today,
      receiptEmail: i.receiptEmail,
      memo: i.memo ? `${cat.name}: ${i.memo}` : cat.name,
      kind: 'category',
      autoApply: false,
    });
    await ctx.db.insertInto('category_payments').values({ payment_id: paymentId, category_id: cat.id, counts_toward_balance: counts ? 1 : 0 }).execute();
    if (counts) {
      // The lines of the category first, oldest due first; the rest of the account after.
      const { applied, leftCents: left } = spreadInOrder(await openLinesByDue(ctx.db, i.accountId, { category: cat.name }), i.amount);
      for (const [n, a] of applied.entries()) await applyToLine(ctx, paymentId, a.chargeLineId, a.amountCents, `${paymentId}/category/${n}`);
      if (left > 0) await applyOldestDueFirst(ctx, paymentId, i.accountId, left, `${paymentId}/rest`);
    } else {
      await postEntry(ctx, {
        accountId: i.accountId,
        entryDate: i.paymentDate ?? ctx.today,
        kind: 'category_offset',
        amountCents: i.amount,
        sourceType: 'payment',
        sourceId: paymentId,
        description: `Payment toward "${cat.name}", kept outside the account balance`,
        label: `category-offset/${paymentId}`,
      });
    }
    await ctx.audit({ action: 'categorize', entity: 'payment', entityId: paymentId, after: { categoryId: cat.id, countsTowardBalance: counts } });
    ctx.changed('payments', 'accounts', 'invoices', 'categories');
    const detail = await loadPaymentDetail(ctx.db, paymentId);
    return { ...detail, categoryId: cat.id, categoryName: cat.name, countsTowardBalance: counts };
  },
});

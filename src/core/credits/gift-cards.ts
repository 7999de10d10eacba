import { creditsContract } from '../../shared/contract/credits';
import { newId } from '../../shared/ids';
import { fail } from '../../shared/result';
import { ADMINS } from '../../shared/roles';
import { defineCommand } from '../commands/types';
import type { CreditsTable } from '../db/schema-credits';
import { applyAccountCredits } from './apply-credits';
import { loadCredit } from './credit-views';
import { insertCredit, loadCreditRow, reverseCreditRecord } from './post-credit';

/**
 * Gift Cards & Prepayments: kept apart from ordinary credits; only Administrators edit or delete
 * them (the executor refuses other roles and audits the attempt). Neither erases anything: an edit
 * replaces the record with a corrected one, a delete reverses it, both in the journal and the audit.
 */

function assertGift(c: CreditsTable): void {
  if (c.kind === 'credit') fail('CONFLICT', 'This is an ordinary credit, not a gift card or prepayment; a supervisor reverses it from the credit list.', { field: 'creditId' });
}

export const editGiftCard = defineCommand({
  name: 'giftCards.edit',
  version: 1,
  roles: ADMINS,
  input: creditsContract['giftCards.edit'].input,
  synced: true,
  prepare: (i) => (i.newCreditId ? {} : { newCreditId: newId() }),
  subject: (i) => i.creditId,
  run: async (ctx, i) => {
    const old = await loadCreditRow(ctx, i.creditId);
    assertGift(old);
    const newId_ = i.newCreditId!;
    await reverseCreditRecord(ctx, old, { status: 'replaced', reason: i.reason, replacedBy: newId_ });
    await insertCredit(ctx, {
      creditId: newId_,
      accountId: old.account_id,
      amountCents: i.amount,
      kind: old.kind,
      creditItemId: old.credit_item_id,
      classification: old.classification,
      publicComment: i.publicComment ?? old.public_comment,
      privateComment: i.privateComment ?? old.private_comment,
      invoiceId: null,
      creditDate: ctx.today,
      batchId: old.batch_id,
      replacesId: old.id,
    });
    // A smaller amount may leave lines open that other credits of the account can pay.
    await applyAccountCredits(ctx, old.account_id, `gift-edit/${old.id}/reapply`);
    return loadCredit(ctx.db, newId_);
  },
});

export const deleteGiftCard = defineCommand({
  name: 'giftCards.delete',
  version: 1,
  roles: ADMINS,
  input: creditsContract['giftCards.delete'].input,
  synced: true,
  subject: (i) => i.creditId,
  run: async (ctx, i) => {
    const c = await loadCreditRow(ctx, i.creditId);
    assertGift(c);
    await reverseCreditRecord(ctx, c, { status: 'reversed', reason: i.reason });
    await applyAccountCredits(ctx, c.account_id, `gift-delete/${c.id}/reapply`);
    return loadCredit(ctx.db, c.id);
  },
});

import type { CommandCtx } from '../commands/types';
import type { CreditsTable } from '../db/schema-credits';

/**
 * A new credit row as every posting writes it (a clerk's credit, a balance cut, a superseded
 * invoice's paid amount): active, fully open, nothing replaced or reversed yet, by the actor now.
 * Only what differs between postings is passed.
 */
export function newCreditRow(
  ctx: Pick<CommandCtx, 'actor' | 'now'>,
  c: {
    id: string;
    accountId: string;
    divisionId: string;
    kind: CreditsTable['kind'];
    amountCents: number;
    date: string;
    classification?: string;
    publicComment?: string;
    privateComment?: string;
    creditItemId?: string | null;
    invoiceId?: string | null;
    batchId?: string | null;
    replacesId?: string | null;
  },
): CreditsTable {
  return {
    id: c.id,
    account_id: c.accountId,
    division_id: c.divisionId,
    kind: c.kind,
    credit_item_id: c.creditItemId ?? null,
    amount_cents: c.amountCents,
    open_cents: c.amountCents,
    credit_date: c.date,
    classification: c.classification ?? '',
    public_comment: c.publicComment ?? '',
    private_comment: c.privateComment ?? '',
    invoice_id: c.invoiceId ?? null,
    batch_id: c.batchId ?? null,
    status: 'active',
    replaces_id: c.replacesId ?? null,
    replaced_by: null,
    reversal_reason: null,
    reversed_by: null,
    reversed_at: null,
    created_by: ctx.actor.userId,
    created_at: ctx.now,
  };
}

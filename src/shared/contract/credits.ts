import { z } from 'zod';
import { channel } from './define';
import { id, isoDate, positiveMoneyText, required, trimmed } from './fields';

/** Credits (Post Credit), Gift Cards & Prepayments, and the credit (discount) items they use. */

export const CreditKinds = ['credit', 'gift_card', 'prepayment'] as const;
export type CreditKind = (typeof CreditKinds)[number];
export const CreditKindLabels: Record<CreditKind, string> = { credit: 'Credit', gift_card: 'Gift card', prepayment: 'Prepayment' };

/** The seed's warning, shown wherever ordinary credits and gift cards could be confused. */
export const GIFT_CARD_WARNING =
  'Do not post regular credits (that are not specifically Gift Cards or Prepayments) in the "Gift Cards & Prepayments" section. All other credits are posted to an invoice or on the account with Post Credit.';

export type CreditStatus = 'active' | 'replaced' | 'reversed';

export interface CreditApplicationDTO {
  id: string;
  chargeLineId: string;
  invoiceNumber: string;
  description: string;
  amountCents: number;
  createdAt: string;
}

export interface CreditDTO {
  id: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  kind: CreditKind;
  creditItemId: string | null;
  creditItemName: string | null;
  /** True when the item has since been retired (it stays on this credit). */
  creditItemRetired: boolean;
  amountCents: number;
  appliedCents: number;
  /** Still on the account, waiting for the next invoice. */
  unappliedCents: number;
  creditDate: string;
  classification: string;
  publicComment: string;
  /** Office only; never on statements or receipts. */
  privateComment: string;
  invoiceId: string | null;
  invoiceNumber: string | null;
  batchId: string | null;
  status: CreditStatus;
  replacesId: string | null;
  replacedBy: string | null;
  reversalReason: string | null;
  reversedAt: string | null;
  reversedByName: string | null;
  createdAt: string;
  createdByName: string;
  unsynced: boolean;
  applications: CreditApplicationDTO[];
  accountBalanceCents: number;
}

export interface CreditItemDTO {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'retired';
  /** How many credits were posted with it. */
  creditCount: number;
  createdAt: string;
  retiredAt: string | null;
}

/** One account's result of a multi-account Post Credit. */
export interface PostCreditResultDTO {
  accountId: string;
  ok: boolean;
  credit: CreditDTO | null;
  error: { code: string; message: string; field?: string } | null;
}

const comment = (label: string) => trimmed(500, label).optional();

/** "Post Credit along with the Invoice": a new invoice for the account, and the credit posted against it. */
export const creditInvoiceInput = z
  .object({
    /** Client-generated; filled in by main when absent. */
    invoiceId: id.optional(),
    invoiceNumber: required(40, 'Invoice number'),
    invoiceDate: isoDate.optional(),
    dueDate: isoDate.optional(),
    lines: z
      .array(z.object({ category: required(60, 'Category'), description: trimmed(200, 'Description'), amount: positiveMoneyText }).strict())
      .min(1, 'An invoice has at least one charge line.')
      .max(200, 'An invoice has at most 200 charge lines.'),
  })
  .strict();

export const postCreditInput = z
  .object({
    /** Client-generated; filled in by main when absent so a retry reuses it. */
    creditId: id.optional(),
    accountId: id,
    amount: positiveMoneyText,
    kind: z.enum(CreditKinds, { message: 'Choose credit, gift card or prepayment.' }).optional(),
    creditItemId: id.optional(),
    classification: trimmed(120, 'Classification').optional(),
    publicComment: comment('Public comment'),
    privateComment: comment('Private comment'),
    /** Post against this invoice: its lines are paid first. */
    invoiceId: id.optional(),
    /** Creates this invoice first and posts the credit against it (one transaction). */
    newInvoice: creditInvoiceInput.optional(),
    creditDate: isoDate.optional(),
    /** Shared by the credits of one Post Credit run (several accounts). */
    batchId: id.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.invoiceId && v.newInvoice) ctx.addIssue({ code: 'custom', path: ['invoiceId'], message: 'Post against an existing invoice or a new one, not both.' });
    if ((v.kind ?? 'credit') === 'credit' && !v.creditItemId) {
      ctx.addIssue({ code: 'custom', path: ['creditItemId'], message: 'Choose a credit item (or create one).' });
    }
  });

export const editGiftCardInput = z
  .object({
    creditId: id,
    /** The id of the corrected record; filled in by main. */
    newCreditId: id.optional(),
    amount: positiveMoneyText,
    publicComment: comment('Public comment'),
    privateComment: comment('Private comment'),
    reason: required(300, 'Reason'),
  })
  .strict();

export const creditItemInput = z
  .object({
    creditItemId: id.optional(),
    name: required(80, 'Item name'),
    description: trimmed(300, 'Description').optional(),
  })
  .strict();

export const creditsContract = {
  'credits.post': channel<CreditDTO>()(postCreditInput),
  /** Reverses an ordinary credit (a correction record; the credit stays listed as reversed). */
  'credits.reverse': channel<CreditDTO>()(z.object({ creditId: id, reason: required(300, 'Reason') }).strict()),
  'credits.get': channel<CreditDTO>()(z.object({ creditId: id }).strict()),
  /** An account's credits: 'credits' = ordinary credits, 'gift' = Gift Cards & Prepayments, with history. */
  'credits.listForAccount': channel<CreditDTO[]>()(
    z.object({ accountId: id, section: z.enum(['credits', 'gift']).optional(), includeHistory: z.boolean().optional() }).strict(),
  ),
  'giftCards.edit': channel<CreditDTO>()(editGiftCardInput),
  'giftCards.delete': channel<CreditDTO>()(z.object({ creditId: id, reason: required(300, 'Reason') }).strict()),
  'creditItems.list': channel<CreditItemDTO[]>()(z.object({ includeRetired: z.boolean().optional() }).strict()),
  'creditItems.create': channel<CreditItemDTO>()(creditItemInput),
  'creditItems.update': channel<CreditItemDTO>()(creditItemInput.extend({ creditItemId: id })),
  'creditItems.retire': channel<CreditItemDTO>()(z.object({ creditItemId: id }).strict()),
  'creditItems.restore': channel<CreditItemDTO>()(z.object({ creditItemId: id }).strict()),
} as const;

import { z } from 'zod';
import { channel } from './define';
import type { PaymentDetailDTO } from './dto';
import { id, isoDate, optionalEmail, positiveMoneyText, required, trimmed } from './fields';
import { PaymentMethods } from './payments';

/** Payment categories (for all payers or one payer) and category payments. */

export interface PaymentCategoryDTO {
  id: string;
  name: string;
  /** Null: offered for every payer. */
  accountId: string | null;
  accountNumber: string | null;
  accountName: string | null;
  countsTowardBalance: boolean;
  status: 'active' | 'retired';
  /** Payments made toward it: a used category can be retired, not deleted. */
  paymentCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface CategoryPaymentDTO extends PaymentDetailDTO {
  categoryId: string;
  categoryName: string;
  countsTowardBalance: boolean;
}

export const categoryInput = z
  .object({
    categoryId: id.optional(),
    name: required(60, 'Category name'),
    /** Empty/absent: for all payers. */
    accountId: id.nullable().optional(),
    countsTowardBalance: z.boolean({ message: 'Say whether the category counts toward the account balance.' }),
  })
  .strict();

export const categoryPaymentInput = z
  .object({
    paymentId: id.optional(),
    accountId: id,
    categoryId: id,
    amount: positiveMoneyText,
    method: z.enum(PaymentMethods, { message: 'Choose a payment method.' }),
    checkNumber: trimmed(30, 'Check number').optional(),
    paymentDate: isoDate.optional(),
    receiptEmail: optionalEmail,
    memo: trimmed(500, 'Memo').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.method === 'check' && !v.checkNumber) ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
  });

export const categoriesContract = {
  'categories.list': channel<PaymentCategoryDTO[]>()(
    z.object({ accountId: id.optional(), includeRetired: z.boolean().optional() }).strict(),
  ),
  'categories.create': channel<PaymentCategoryDTO>()(categoryInput),
  'categories.update': channel<PaymentCategoryDTO>()(
    z.object({ categoryId: id, name: required(60, 'Category name'), countsTowardBalance: z.boolean() }).strict(),
  ),
  /** Deletes an unused category; a used one is refused (retire it instead). */
  'categories.delete': channel<{ deleted: true; categoryId: string }>()(z.object({ categoryId: id }).strict()),
  'categories.retire': channel<PaymentCategoryDTO>()(z.object({ categoryId: id }).strict()),
  'categories.restore': channel<PaymentCategoryDTO>()(z.object({ categoryId: id }).strict()),
  'categories.pay': channel<CategoryPaymentDTO>()(categoryPaymentInput),
} as const;

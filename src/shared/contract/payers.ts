import { z } from 'zod';
import { channel } from './define';
import type { AccountDetailDTO, AccountSummaryDTO, DivisionDTO, InvoiceDTO, SearchResultDTO } from './dto';
import { id, isoDate, optionalEmail, positiveMoneyText, required, trimmed } from './fields';

const divisionFilter = id.nullable().optional();

export const payersContract = {
  'divisions.list': channel<DivisionDTO[]>()(z.object({}).strict()),
  'divisions.create': channel<DivisionDTO>()(z.object({ divisionId: id.optional(), name: required(80, 'Division name') }).strict()),
  'divisions.rename': channel<DivisionDTO>()(z.object({ divisionId: id, name: required(80, 'Division name') }).strict()),
  'payers.search': channel<SearchResultDTO>()(
    z
      .object({
        query: z.string().max(200, 'Search text is too long.'),
        divisionId: divisionFilter,
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  ),
  'payers.get': channel<AccountDetailDTO>()(z.object({ accountId: id }).strict()),
} as const;

const accountNumber = required(40, 'Account number').regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, 'Account numbers use letters, digits and . _ / - only.');

/** Payer contact fields: one definition for Add Payer, Edit Payer and their forms. */
export const payerFields = {
  accountNumber,
  name: required(200, 'Name'),
  email: optionalEmail,
  phone: z
    .string()
    .trim()
    .max(40, 'Phone is longer than 40 characters.')
    .regex(/^[0-9+()\-. /]*(?:\s*(?:x|ext\.?)\s*[0-9]+)?$/i, 'Phone numbers use digits, spaces and + ( ) - . only (an extension as "x123").')
    .optional(),
  /** Several lines, as printed in a letter's address window. */
  postalAddress: z
    .string()
    .trim()
    .max(300, 'Postal address is longer than 300 characters.')
    .refine((s) => s.split(/\r?\n/).length <= 6, 'A postal address has at most 6 lines.')
    .optional(),
  portalUserId: z.string().trim().max(80, 'Portal user ID is longer than 80 characters.').optional(),
};

export const accountInput = z
  .object({
    accountId: id.optional(),
    divisionId: id,
    accountNumber: payerFields.accountNumber,
    name: payerFields.name,
    email: payerFields.email,
    phone: payerFields.phone,
    postalAddress: payerFields.postalAddress,
    portalUserId: payerFields.portalUserId,
  })
  .strict();

/**
 * Edit Payer: only the fields given change. Contact details (email, phone, postal address) for the
 * roles the Settings allow (default every role); name, numbers and status for supervisors and admins.
 */
export const updateAccountInput = z
  .object({
    accountId: id,
    email: payerFields.email,
    phone: payerFields.phone,
    postalAddress: payerFields.postalAddress,
    name: payerFields.name.optional(),
    accountNumber: payerFields.accountNumber.optional(),
    portalUserId: payerFields.portalUserId,
    status: z.enum(['active', 'inactive']).optional(),
    /** Required when the status changes. */
    statusReason: trimmed(300, 'Reason').optional(),
  })
  .strict();

export const accountsContract = {
  'accounts.update': channel<AccountSummaryDTO>()(updateAccountInput),
  'accounts.create': channel<AccountSummaryDTO>()(accountInput),
  'accounts.setStatus': channel<AccountSummaryDTO>()(
    z.object({ accountId: id, status: z.enum(['active', 'inactive']), reason: required(300, 'Reason') }).strict(),
  ),
} as const;

export const invoiceInput = z
  .object({
    invoiceId: id.optional(),
    accountId: id,
    invoiceNumber: required(40, 'Invoice number'),
    invoiceDate: isoDate,
    dueDate: isoDate,
    lines: z
      .array(
        z
          .object({
            category: required(60, 'Category'),
            description: trimmed(200, 'Description'),
            amount: positiveMoneyText,
          })
          .strict(),
      )
      .min(1, 'An invoice has at least one charge line.')
      .max(200, 'An invoice has at most 200 charge lines.'),
  })
  .strict();

/**
 * Edit Invoice: the whole new set of charge lines. Every current line is named by its id (kept,
 * changed, or voided with `void: true`); lines without an id are added. The edit is a new version
 * of the invoice (the old one is superseded, never deleted), so closed months stay as they were.
 */
export const editInvoiceInput = z
  .object({
    invoiceId: id,
    /** The new version's id (made by the caller or the command's prepare, so re-runs agree). */
    newInvoiceId: id.optional(),
    dueDate: isoDate.optional(),
    reason: required(300, 'Reason'),
    lines: z
      .array(
        z
          .object({
            lineId: id.optional(),
            category: required(60, 'Category'),
            description: trimmed(200, 'Description'),
            amount: positiveMoneyText,
            void: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1, 'An invoice has at least one charge line.')
      .max(200, 'An invoice has at most 200 charge lines.'),
  })
  .strict();

export const invoicesContract = {
  'invoices.create': channel<InvoiceDTO>()(invoiceInput),
  'invoices.edit': channel<InvoiceDTO>()(editInvoiceInput),
} as const;

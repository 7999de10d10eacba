import { z } from 'zod';
import { channel } from './define';
import type { AccountDetailDTO, AccountSummaryDTO, DivisionDTO, InvoiceDTO, SearchResultDTO } from './dto';
import { id, isoDate, positiveMoneyText, required, trimmed } from './fields';

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

export const accountInput = z
  .object({
    accountId: id.optional(),
    divisionId: id,
    accountNumber: required(40, 'Account number').regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, 'Account numbers use letters, digits and . _ / - only.'),
    name: required(200, 'Name'),
    email: z.string().trim().max(254).refine((s) => s === '' || z.string().email().safeParse(s).success, 'Enter a valid email address.').optional(),
    portalUserId: z.string().trim().max(80).optional(),
  })
  .strict();

/** Edit Payer: only the fields given change. Contact details for every role; name and numbers for supervisors. */
export const updateAccountInput = z
  .object({
    accountId: id,
    email: z.string().trim().max(254).refine((s) => s === '' || z.string().email().safeParse(s).success, 'Enter a valid email address.').optional(),
    name: required(200, 'Name').optional(),
    accountNumber: required(40, 'Account number').regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, 'Account numbers use letters, digits and . _ / - only.').optional(),
    portalUserId: z.string().trim().max(80).optional(),
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

export const invoicesContract = {
  'invoices.create': channel<InvoiceDTO>()(invoiceInput),
} as const;

import { z } from 'zod';
import { cents, id, isoDate } from '../../shared/contract/fields';
import { ImportKinds } from '../../shared/contract/imports';

/**
 * The rows of a parsed file, as the `imports.applyRows` command carries them. The command holds the
 * rows themselves (not just the file's hash), so the server re-runs it exactly, without re-reading.
 */
const text = (max: number) => z.string().max(max);

export const balanceRowInput = z.object({
  row: z.number().int().min(1),
  accountNumber: text(40).min(1),
  balanceCents: cents,
  name: text(200).optional(),
  email: text(254).optional(),
  dueDate: isoDate.optional(),
  userId: text(80).optional(),
  division: text(80).optional(),
});
export type BalanceRowInput = z.infer<typeof balanceRowInput>;

export const billRowInput = z.object({
  row: z.number().int().min(1),
  accountNumber: text(40).min(1),
  invoiceNumber: text(40).min(1),
  invoiceDate: isoDate,
  dueDate: isoDate,
  category: text(60),
  description: text(200),
  amountCents: cents,
  division: text(80).optional(),
  name: text(200).optional(),
  email: text(254).optional(),
});
export type BillRowInput = z.infer<typeof billRowInput>;

export const issueInput = z.object({
  row: z.number().int().min(0),
  column: z.string().max(200).optional(),
  severity: z.enum(['error', 'warning']),
  message: z.string().max(1000),
});

export const applyRowsInput = z
  .object({
    uploadId: id.optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Not a SHA-256.'),
    fileName: z.string().min(1).max(255),
    kind: z.enum(ImportKinds),
    divisionId: id.nullable(),
    format: z.string().max(10),
    rowsRead: z.number().int().min(0),
    rows: z.union([z.array(balanceRowInput), z.array(billRowInput)]),
    parseIssues: z.array(issueInput).max(100_000),
    notes: z.array(z.string().max(500)).max(50),
  })
  .strict();
export type ApplyRowsInput = z.infer<typeof applyRowsInput>;

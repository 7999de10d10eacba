import { z } from 'zod';
import { cents, id, isoDate } from '../../shared/contract/fields';
import { importDecisions, ImportKinds } from '../../shared/contract/imports';

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

/**
 * Thousands of rows are checked by hand rather than by a zod object per row: the same rules (the
 * schemas above document them and type them), at a small fraction of the cost.
 */
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const str = (v: unknown, max: number, required: boolean) => (v === undefined ? !required : typeof v === 'string' && v.length <= max && (!required || v.length > 0));
const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
const date = (v: unknown, required: boolean) => (v === undefined ? !required : typeof v === 'string' && ISO.test(v));

function badBalanceRow(r: Record<string, unknown>): string | null {
  if (!int(r.row) || (r.row as number) < 1) return 'row';
  if (!str(r.accountNumber, 40, true)) return 'accountNumber';
  if (!int(r.balanceCents)) return 'balanceCents';
  if (!str(r.name, 200, false)) return 'name';
  if (!str(r.email, 254, false)) return 'email';
  if (!date(r.dueDate, false)) return 'dueDate';
  if (!str(r.userId, 80, false)) return 'userId';
  if (!str(r.division, 80, false)) return 'division';
  return null;
}

function badBillRow(r: Record<string, unknown>): string | null {
  if (!int(r.row) || (r.row as number) < 1) return 'row';
  if (!str(r.accountNumber, 40, true)) return 'accountNumber';
  if (!str(r.invoiceNumber, 40, true)) return 'invoiceNumber';
  if (!date(r.invoiceDate, true)) return 'invoiceDate';
  if (!date(r.dueDate, true)) return 'dueDate';
  if (!str(r.category, 60, true) && r.category !== '') return 'category';
  if (!str(r.description, 200, false) || r.description === undefined) return 'description';
  if (!int(r.amountCents)) return 'amountCents';
  if (!str(r.division, 80, false)) return 'division';
  if (!str(r.name, 200, false)) return 'name';
  if (!str(r.email, 254, false)) return 'email';
  return null;
}

const KNOWN_BALANCE = new Set(Object.keys(balanceRowInput.shape));
const KNOWN_BILL = new Set(Object.keys(billRowInput.shape));

const rowsInput = z.array(z.record(z.string(), z.unknown())).max(2_000_000, 'At most 2,000,000 rows.');

export const applyRowsInput = z
  .object({
    uploadId: id.optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Not a SHA-256.'),
    fileName: z.string().min(1).max(255),
    kind: z.enum(ImportKinds),
    divisionId: id.nullable(),
    format: z.string().max(10),
    rowsRead: z.number().int().min(0),
    rows: rowsInput as unknown as z.ZodType<BalanceRowInput[] | BillRowInput[]>,
    parseIssues: z.array(issueInput).max(100_000),
    notes: z.array(z.string().max(500)).max(50),
    /** The admin's answers about identity changes, other-division numbers and the Division column. */
    decisions: importDecisions.optional(),
    /** How the text was read: with sha256, it decides whether this upload repeats an earlier one. */
    readAs: z.object({ decimalComma: z.boolean(), dayFirst: z.boolean() }).strict().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const check = v.kind === 'balance' ? badBalanceRow : badBillRow;
    const known = v.kind === 'balance' ? KNOWN_BALANCE : KNOWN_BILL;
    const rows = v.rows as unknown as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const field = check(r) ?? Object.keys(r).find((k) => !known.has(k)) ?? null;
      if (field) {
        ctx.addIssue({ code: 'custom', path: ['rows', i, field], message: `Row ${i + 1} of the upload has an invalid ${field}.` });
        return;
      }
    }
  });
export type ApplyRowsInput = z.infer<typeof applyRowsInput>;

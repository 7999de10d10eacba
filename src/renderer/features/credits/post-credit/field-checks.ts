import type { z } from 'zod';
import { creditInvoiceInput, postCreditInput } from '../../../../shared/contract/credits';
import { parseMoney } from '../../../../shared/money';

/**
 * The Post Credit fields checked early, with the contract's own schemas (the ones main parses
 * `credits.post` with), so the wizard keeps no copy of an amount or length rule.
 */
const line = creditInvoiceInput.shape.lines.element.shape;

function problem(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Not valid.');
}

/** A credit amount as typed, or the contract's reason it is not one. */
export const amountProblem = (text: string): string | null => problem(postCreditInput.shape.amount, text);

/** A new invoice's fields, keyed as the transaction step shows them. */
export interface NewInvoiceFields {
  invoiceNumber: string;
  dueDate: string;
  category: string;
  description: string;
  amount: string;
}

export function newInvoiceProblems(n: NewInvoiceFields): Record<string, string> {
  const out: Record<string, string> = {};
  const checks = [
    ['invoiceNumber', problem(creditInvoiceInput.shape.invoiceNumber, n.invoiceNumber)],
    ['category', problem(line.category, n.category)],
    ['description', problem(line.description, n.description)],
    ['invoiceAmount', problem(line.amount, n.amount)],
  ] as const;
  for (const [key, p] of checks) if (p) out[key] = p;
  return out;
}

export type CommentField = 'classification' | 'publicComment' | 'privateComment';

/** The most characters each comment field takes, read from the contract. */
export const commentMax = (field: CommentField): number => postCreditInput.shape[field].unwrap().maxLength ?? Infinity;

/** A comment too long: the contract's message, with the length now so the clerk sees how far over. */
export function commentProblem(field: CommentField, text: string): string | null {
  const p = problem(postCreditInput.shape[field], text);
  return p && `${p.replace(/\.$/, '')} (now ${text.trim().length}).`;
}

/** Cents of a typed amount for display; an unreadable amount shows as $0.00. */
export const centsOf = (text: string): number => {
  const r = parseMoney(text);
  return r.ok ? r.cents : 0;
};

import { z } from 'zod';
import { isIsoDate } from '../dates';
import { parseMoney } from '../money';

/** Reusable argument schemas with messages a clerk can act on. */

export const id = z.string().uuid({ message: 'Not a valid id.' });
export const isoDate = z.string().refine(isIsoDate, { message: 'Enter a date as YYYY-MM-DD.' });
export const trimmed = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, { message: `${label} is longer than ${max} characters.` });
export const required = (max: number, label: string) => trimmed(max, label).min(1, { message: `${label} is required.` });
export const email = z.string().trim().email({ message: 'Enter a valid email address.' }).max(254);
export const optionalEmail = z
  .string()
  .trim()
  .max(254)
  .refine((s) => s === '' || z.string().email().safeParse(s).success, { message: 'Enter a valid email address.' })
  .optional();

/**
 * An amount typed by a person, as text: parsed exactly to cents. Numbers are refused so that no
 * float ever reaches the ledger from the UI.
 */
export const moneyText = z.string().transform((s, ctx) => {
  const r = parseMoney(s);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  }
  return r.cents;
});

/** A positive amount as typed text (payments, credits): zero and negatives refused. */
export const positiveMoneyText = moneyText.refine((c) => c > 0, { message: 'The amount must be more than $0.00.' });

/** Integer cents, for internal callers (imports, sync) that already hold exact values. */
/** Optional amount: not given = unchanged (undefined), blank = none (null), else cents. */
export const optionalMoney = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined; // not given: unchanged
    if (s.trim() === '') return null; // blank: none
    const r = moneyText.safeParse(s);
    if (!r.success) {
      ctx.addIssue({ code: 'custom', message: r.error.issues[0]?.message ?? 'Not an amount.' });
      return z.NEVER;
    }
    return r.data;
  });

export const cents = z.number().int({ message: 'Amounts are whole cents.' });

/** Length here; how hard it is to guess is checked in core (src/core/auth/password-rules.ts). */
export const password = z.string().min(12, { message: 'Passwords have at least 12 characters.' }).max(200);
export const username = z
  .string()
  .trim()
  .min(2, { message: 'User names have at least 2 characters.' })
  .max(60)
  .regex(/^[a-zA-Z0-9._@-]+$/, { message: 'User names use letters, digits and . _ @ - only.' });

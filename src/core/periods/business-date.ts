import { daysBetween, formatDate } from '../../shared/dates';
import { fail } from '../../shared/result';
import type { CommandCtx } from '../commands/types';
import { assertPeriodOpen } from '../ledger/journal';
import { readSettings } from '../settings/settings';

/** Dates further ahead than this are typos (12/31/2099), never post-dated checks: refused outright. */
export const MAX_FUTURE_DAYS = 30;

/**
 * The date a clerk types on a payment or deposit: not in a closed month, not more than 30 days
 * ahead of the business date, and more than the setting's days ahead only when confirmed as
 * post-dated. Measured from ctx.today (the command's business date), never the machine's clock.
 */
export async function assertEntryDate(ctx: CommandCtx, date: string, field: string, postDated: boolean | undefined): Promise<void> {
  await assertPeriodOpen(ctx, date, field);
  const ahead = daysBetween(ctx.today, date);
  if (ahead > MAX_FUTURE_DAYS) {
    fail('VALIDATION', `${formatDate(date)} is ${ahead} days after today (${formatDate(ctx.today)}); dates more than ${MAX_FUTURE_DAYS} days ahead are refused. Check the year.`, {
      field,
      daysAhead: ahead,
    });
  }
  const { postDatedAfterDays } = await readSettings(ctx.db);
  if (ahead > postDatedAfterDays && !postDated) {
    fail('VALIDATION', `${formatDate(date)} is ${ahead} days after today (${formatDate(ctx.today)}): confirm it is post-dated, or correct the date.`, {
      field,
      daysAhead: ahead,
      needsPostDated: true,
    });
  }
}

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { addDays, dateInZone, isIsoDate, isTimeZone } from '../../shared/dates';
import type { Database } from '../db/schema';

/**
 * When a command happened, as the office sees it. Fixed once, where the clerk acted, and carried
 * with the command (outbox, push, replay) so every re-run dates its records the same way: a credit
 * entered at 8:30 pm in New York is dated the 31st on the desk, on the server and in a replay.
 */
export interface BusinessTime {
  /** The office's calendar day ('YYYY-MM-DD') in the office's time zone. */
  businessDate: string;
  /** The instant the clerk acted (ISO, UTC). Records keep it as their created/acted time. */
  occurredAt: string;
}

export const businessTimeSchema = z
  .object({
    businessDate: z.string().refine(isIsoDate, 'Expected a date (YYYY-MM-DD).'),
    occurredAt: z.string().datetime({ message: 'Expected an ISO instant.' }),
  })
  .strict();

/** How far ahead of the server's clock a desk's clock may run before its work is refused. */
export const CLOCK_TOLERANCE_MINUTES = 10;
/** How long work may wait offline before the server treats its time as implausible. */
export const MAX_OFFLINE_DAYS = 400;

/** The business time of an instant in the office's zone; without a zone set, the machine's day (`fallbackDate`). */
export function businessTimeAt(instant: Date, officeTimeZone: string | null, fallbackDate: string): BusinessTime {
  return { occurredAt: instant.toISOString(), businessDate: officeTimeZone ? dateInZone(instant, officeTimeZone) : fallbackDate };
}

/**
 * The server's check of a desk's business time against its own clock. Every time zone lies within a
 * day of UTC, so the business date must be the occurrence's UTC date or a neighbour of it. Returns
 * the reason a time is implausible, in words a clerk can act on, or null.
 */
export function implausibleTime(t: BusinessTime, serverNow: Date): string | null {
  const at = Date.parse(t.occurredAt);
  if (!Number.isFinite(at)) return 'The time this was entered is not a valid time.';
  if (at > serverNow.getTime() + CLOCK_TOLERANCE_MINUTES * 60_000)
    return `This was entered at ${t.occurredAt}, later than the server's clock (${serverNow.toISOString()}) allows: the computer's clock is probably wrong. Set it right and enter the item again.`;
  if (at < serverNow.getTime() - MAX_OFFLINE_DAYS * 86_400_000) return `This was entered more than ${MAX_OFFLINE_DAYS} days ago (${t.occurredAt}); the server does not accept work that old.`;
  const [lo, hi] = neighbourDays(t.occurredAt.slice(0, 10));
  if (t.businessDate < lo || t.businessDate > hi)
    return `The business date ${t.businessDate} does not match the time it was entered (${t.occurredAt}).`;
  return null;
}

/** The day before and after a UTC day; a pushed batch asks for the same few days thousands of times. */
const neighbours = new Map<string, readonly [string, string]>();
function neighbourDays(utcDay: string): readonly [string, string] {
  let n = neighbours.get(utcDay);
  if (!n) {
    if (neighbours.size > 1000) neighbours.clear();
    neighbours.set(utcDay, (n = [addDays(utcDay, -1), addDays(utcDay, 1)]));
  }
  return n;
}

const TZ_KEY = 'officeTimeZone';

/** The office's time zone (Settings), or null when none was chosen yet. */
export async function readOfficeTimeZone(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', TZ_KEY).executeTakeFirst();
  if (!row) return null;
  const tz = JSON.parse(row.value) as unknown;
  return typeof tz === 'string' && isTimeZone(tz) ? tz : null;
}

import type { Kysely } from 'kysely';
import { addDays, dateInZone, instantInZone } from '../../shared/dates';
import { readOfficeTimeZone } from './business-time';
import type { Database } from '../db/schema';

/**
 * Report filters speak in the office's calendar days, but voids and uploads are stored as UTC
 * instants: an 11:30 PM void in New York is the next day in UTC. These turn a day range into the
 * instants that bound it in the office's zone, and an instant back into its office day.
 */
export interface OfficeDays {
  /** First instant of the day (ISO, comparable with stored instants). */
  startOf(day: string): string;
  /** First instant of the day after: the exclusive end of the day. */
  endOf(day: string): string;
  /** The office day an instant falls on. */
  dayOf(instant: string): string;
}

export async function officeDays(db: Kysely<Database>): Promise<OfficeDays> {
  // No zone chosen yet (a ledger from before the setting): UTC, as business dates were then.
  const zone = (await readOfficeTimeZone(db)) ?? 'UTC';
  const midnight = (day: string) => instantInZone(day, '00:00', zone)!.toISOString();
  return {
    startOf: midnight,
    endOf: (day) => midnight(addDays(day, 1)),
    dayOf: (instant) => dateInZone(new Date(instant), zone),
  };
}

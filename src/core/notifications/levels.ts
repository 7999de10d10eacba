import type { LevelDTO } from '../../shared/contract/notifications';
import { daysBetween } from '../../shared/dates';

/** A level's trigger as days relative to the due date: before 5 → −5, on → 0, after 30 → 30. */
export function levelOffset(l: Pick<LevelDTO, 'timing' | 'days'>): number {
  return l.timing === 'before' ? -l.days : l.timing === 'on' ? 0 : l.days;
}

/** Days from the due date to the as-of date: negative while not yet due. */
export function daysPastDue(dueDate: string, asOf: string): number {
  return daysBetween(dueDate, asOf);
}

/**
 * The dunning level that applies to an account whose oldest unpaid charge is `days` past due: the
 * highest level whose trigger has been reached. An account with several overdue items gets one
 * notification at the level of its oldest (hence highest) item. null when no level applies yet.
 */
export function selectLevel<L extends Pick<LevelDTO, 'level' | 'timing' | 'days'>>(levels: readonly L[], days: number): L | null {
  let best: L | null = null;
  for (const l of levels) {
    if (levelOffset(l) <= days && (!best || l.level > best.level)) best = l;
  }
  return best;
}

/** Days past due of each item → the highest level any of them reaches. */
export function highestLevelForItems<L extends Pick<LevelDTO, 'level' | 'timing' | 'days'>>(levels: readonly L[], itemDays: readonly number[]): L | null {
  let best: L | null = null;
  for (const d of itemDays) {
    const l = selectLevel(levels, d);
    if (l && (!best || l.level > best.level)) best = l;
  }
  return best;
}

import { addDays } from '../../../shared/dates';

/** The due dates of a recurring payment: pure date arithmetic on ISO dates, no clock. */

export interface Cadence {
  frequency: 'weekly' | 'monthly' | 'day_of_month';
  startDate: string;
  /** For 'day_of_month' (1..31; a short month uses its last day). */
  dayOfMonth: number | null;
}

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

function ymd(d: string): [number, number, number] {
  const [y, m, dd] = d.split('-').map(Number);
  return [y!, m!, dd!];
}

const fmt = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The date in month (y, m) for a wanted day, clamped to the month's last day. */
function inMonth(y: number, m: number, day: number): string {
  return fmt(y, m, Math.min(day, daysInMonth(y, m)));
}

function addMonths(y: number, m: number, k: number): [number, number] {
  const idx = y * 12 + (m - 1) + k;
  return [Math.floor(idx / 12), (idx % 12) + 1];
}

/** The first due date on or after `from` (never before the start date). */
export function firstOnOrAfter(c: Cadence, from: string): string {
  const floor = from > c.startDate ? from : c.startDate;
  if (c.frequency === 'weekly') {
    const start = Date.parse(c.startDate + 'T00:00:00Z');
    const f = Date.parse(floor + 'T00:00:00Z');
    const weeks = Math.ceil((f - start) / (7 * 86_400_000));
    return addDays(c.startDate, Math.max(0, weeks) * 7);
  }
  const day = c.frequency === 'monthly' ? ymd(c.startDate)[2] : c.dayOfMonth!;
  const [fy, fm] = ymd(floor);
  for (let k = 0; k < 3; k++) {
    const [y, m] = addMonths(fy, fm, k);
    const d = inMonth(y, m, day);
    if (d >= floor) return d;
  }
  throw new Error('unreachable: a due date exists within three months');
}

/** The due date after `date` (a due date of this cadence). */
export function nextAfter(c: Cadence, date: string): string {
  return firstOnOrAfter(c, addDays(date, 1));
}

/** Every due date from `from` through `through`, inclusive, at most `max` of them. */
export function dueDates(c: Cadence, from: string, through: string, max = 1000): string[] {
  const out: string[] = [];
  let d = firstOnOrAfter(c, from);
  while (d <= through && out.length < max) {
    out.push(d);
    d = nextAfter(c, d);
  }
  return out;
}

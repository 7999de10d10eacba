/** Dates are ISO strings: business dates 'YYYY-MM-DD', instants full ISO timestamps (UTC). */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** The local calendar date of an instant, as the office sees it. */
export function localDate(at: Date = new Date()): string {
  const y = at.getFullYear();
  const m = String(at.getMonth() + 1).padStart(2, '0');
  const d = String(at.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const dt = new Date(Date.UTC(y!, m! - 1, d! + days));
  return dt.toISOString().slice(0, 10);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  const ta = Date.parse(a + 'T00:00:00Z');
  const tb = Date.parse(b + 'T00:00:00Z');
  return Math.round((tb - ta) / 86_400_000);
}

/** 'YYYY-MM' of a business date: the accounting period it falls in. */
export const periodOf = (isoDate: string): string => isoDate.slice(0, 7);

// Made on first use, like money.ts's: the first Intl format of a process starts ICU (~25 ms).
let fmt: Intl.DateTimeFormat | undefined;
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  fmt ??= new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return fmt.format(new Date(isoDate.slice(0, 10) + 'T00:00:00Z'));
}
let fmtTime: Intl.DateTimeFormat | undefined;
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  fmtTime ??= new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
  return fmtTime.format(new Date(iso));
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(timeZone);
  if (!f) zoneFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f;
}

/** The calendar date of an instant in an IANA time zone (the office's), whatever zone this machine is in. */
export function dateInZone(at: Date, timeZone: string): string {
  const parts = zoneFormat(timeZone).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** True for a time zone name this runtime knows ('America/New_York', 'UTC', ...). */
export function isTimeZone(name: string): boolean {
  try {
    zoneFormat(name);
    return true;
  } catch {
    return false;
  }
}

/** An instant shown as the office sees it: 'Jan 5, 2026, 8:30 PM' in the office's zone. */
export function formatInZone(iso: string | null | undefined, timeZone: string | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** Minutes the zone's wall clock is ahead of UTC at an instant (negative west of Greenwich). */
function zoneOffsetMinutes(at: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time (`2026-03-08`, `09:30`) happens in an IANA zone, whatever zone
 * this machine is in. A time skipped by a DST jump moves forward by the jump; an hour that happens
 * twice takes its first occurrence. Null for a malformed date or time.
 */
export function instantInZone(isoDate: string, time: string, timeZone: string): Date | null {
  if (!isIsoDate(isoDate) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offsets half a day either side cover any DST change near the wall time.
  const before = wall - zoneOffsetMinutes(wall - 43_200_000, timeZone) * 60_000;
  const after = wall - zoneOffsetMinutes(wall + 43_200_000, timeZone) * 60_000;
  const valid = [before, after].filter((at) => at + zoneOffsetMinutes(at, timeZone) * 60_000 === wall);
  return new Date(valid.length > 0 ? Math.min(...valid) : before);
}

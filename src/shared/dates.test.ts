import { describe, expect, test } from 'vitest';
import { dateInZone, instantInZone } from './dates';

describe('instantInZone: a wall-clock time in the office zone, whatever zone this machine is in', () => {
  test.each([
    ['2026-01-15', '09:30', 'America/New_York', '2026-01-15T14:30:00.000Z'],
    ['2026-07-15', '09:30', 'America/New_York', '2026-07-15T13:30:00.000Z'],
    // 02:30 does not happen on the spring-forward day: it moves forward by the jump.
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // 01:30 happens twice on the fall-back day: the first one.
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-01-15', '00:00', 'Pacific/Kiritimati', '2026-01-14T10:00:00.000Z'],
    ['2026-01-15', '00:00', 'UTC', '2026-01-15T00:00:00.000Z'],
    ['2026-06-30', '23:59', 'Australia/Adelaide', '2026-06-30T14:29:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, iso) => {
    const at = instantInZone(date, time, zone)!;
    expect(at.toISOString()).toBe(iso);
    expect(dateInZone(at, zone)).toBe(date);
  });

  test('a malformed date or time gives null', () => {
    expect(instantInZone('2026-02-30', '00:00', 'UTC')).toBeNull();
    expect(instantInZone('2026-02-01', '24:00', 'UTC')).toBeNull();
  });
});

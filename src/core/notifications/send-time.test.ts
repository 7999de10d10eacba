import { describe, expect, it } from 'vitest';
import { scheduleAt } from './queue';

describe('send time', () => {
  it("is the office's wall clock, not this machine's zone", () => {
    // 10:00 on Jan 16 in Kiritimati (UTC+14) is 20:00Z on Jan 15; "Send at 23:00" that day is 09:00Z on Jan 16.
    expect(scheduleAt('2026-01-16', '23:00', '2026-01-15T20:00:00.000Z', 'Pacific/Kiritimati')).toBe('2026-01-16T09:00:00.000Z');
    expect(scheduleAt('2026-01-16', '09:30', '2026-01-15T12:00:00.000Z', 'America/New_York')).toBe('2026-01-16T14:30:00.000Z');
    // A send time already past goes out now.
    expect(scheduleAt('2026-01-15', '00:00', '2026-01-15T12:00:00.000Z', 'America/New_York')).toBe('2026-01-15T12:00:00.000Z');
  });
});

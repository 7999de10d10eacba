import { readFileSync } from 'node:fs';
import type { Clock } from '../core/commands/types';
import { localDate } from '../shared/dates';

/**
 * The server's clock. `LEDGERDESK_CLOCK_FILE` names a file holding a number of milliseconds the
 * clock runs ahead of the machine's: tests move a running server forward in time (token expiry,
 * schedules) without sleeping. Operators never set it; without it this is the machine's clock.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock | undefined {
  const file = env.LEDGERDESK_CLOCK_FILE;
  if (!file) return undefined;
  const offset = () => {
    try {
      const ms = Number(readFileSync(file, 'utf8').trim());
      return Number.isFinite(ms) ? ms : 0;
    } catch {
      return 0;
    }
  };
  const now = () => new Date(Date.now() + offset());
  return { now, today: () => localDate(now()) };
}
